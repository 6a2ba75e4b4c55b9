#ifndef PKTGRID_PREPROCESS_PIPELINE_H_
#define PKTGRID_PREPROCESS_PIPELINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "preprocess/options.h"
#include "preprocess/report.h"
#include "storage/dataset_file.h"

namespace pktgrid {
namespace preprocess {

// Reads the captures (files or directories; format from the magic number),
// labels flows with nDPI, samples and splits, and returns the dataset in
// memory. Files that cannot be opened or read are listed in
// report->errors by name with the reason, and the rest are processed; it
// fails only on bad options, when no packet of any selected class was found,
// or when a class has fewer than per_class packets (unless take_available),
// listing every class's count. `report` (optional) gets everything except
// the output paths and the dataset digest.
absl::StatusOr<Dataset> BuildDatasetInMemory(
    const PreprocessOptions& options, const std::vector<std::string>& inputs,
    PreprocessReport* report);

// BuildDatasetInMemory, then writes the dataset to `out_path`
// (WriteDatasetFile), the manifest next to it and, if asked, the CSVs in
// the same directory.
absl::StatusOr<PreprocessReport> BuildDataset(
    const PreprocessOptions& options, const std::vector<std::string>& inputs,
    const std::string& out_path);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_PIPELINE_H_
