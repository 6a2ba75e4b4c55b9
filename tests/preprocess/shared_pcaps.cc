#include "tests/preprocess/shared_pcaps.h"

#include <cstdlib>
#include <filesystem>

namespace pktgrid {
namespace preprocess {

std::string SharedPcapsDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("PKTGRID_SHARED_PCAPS")) return env;
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return "";
  std::error_code ec;
  const fs::path self = fs::canonical(
      fs::path(srcdir) / workspace / "tests/preprocess/shared_pcaps.h", ec);
  if (ec) return "";
  const fs::path root = self.parent_path().parent_path().parent_path();
  return (root.parent_path() / "shared" / "pcaps").string();
}

}  // namespace preprocess
}  // namespace pktgrid
