#ifndef PKTGRID_PREPROCESS_MANIFEST_H_
#define PKTGRID_PREPROCESS_MANIFEST_H_

#include <string>

#include "preprocess/options.h"
#include "preprocess/report.h"

namespace pktgrid {
namespace preprocess {

// "<dataset path>.manifest.json".
std::string ManifestPathFor(const std::string& dataset_path);

// The manifest: options, classes with per-class and per-split counts, the
// dataset's SHA-256, source files with their SHA-256 and per-file summary,
// and the nDPI version. Deterministic for deterministic inputs (no clock).
std::string ManifestJson(const PreprocessOptions& options,
                         const PreprocessReport& report);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_MANIFEST_H_
