#ifndef PKTGRID_PREPROCESS_CSV_EXPORT_H_
#define PKTGRID_PREPROCESS_CSV_EXPORT_H_

#include <string>

#include "absl/status/status.h"
#include "storage/dataset_file.h"

namespace pktgrid {
namespace preprocess {

// Writes train.csv, val.csv and test.csv into `directory` in the original
// implementation's layout: a header "label,byte1,...,byteN", then one line
// per packet with the class name and the raw byte values 0..255.
absl::Status ExportCsv(const Dataset& dataset, const std::string& directory);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CSV_EXPORT_H_
