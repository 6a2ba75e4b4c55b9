#include "tests/preprocess/shared_pcaps.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

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

ReferenceLabels ReadReferenceLabels(const std::string& tsv) {
  ReferenceLabels out;
  std::ifstream in(tsv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, '\t');) f.push_back(field);
    // file frame label ndpi_name confidence payload l4proto frame_len
    if (f.size() < 7) continue;
    auto& file = out[f[0]];
    if (f[5] != "1" || (f[6] != "6" && f[6] != "17")) continue;
    file[std::stoull(f[1])] = {f[2], f[3]};
  }
  return out;
}

}  // namespace preprocess
}  // namespace pktgrid
