#include "preprocess/input_files.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pktgrid {
namespace preprocess {

std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator
             it(input, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  // Keep the first occurrence of each path, in input order.
  std::vector<std::string> unique;
  for (const std::string& f : files) {
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) {
      unique.push_back(f);
    }
  }
  return unique;
}

}  // namespace preprocess
}  // namespace pktgrid
