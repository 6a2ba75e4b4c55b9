#ifndef PKTGRID_PREPROCESS_INPUT_FILES_H_
#define PKTGRID_PREPROCESS_INPUT_FILES_H_

#include <string>
#include <vector>

namespace pktgrid {
namespace preprocess {

// Expands inputs into capture paths: a directory contributes every regular
// file below it (recursively, sorted by path, so runs are reproducible); any
// other input is kept as given, even if missing, so the pipeline reports it
// by name instead of silently dropping it. Duplicates are removed.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_INPUT_FILES_H_
