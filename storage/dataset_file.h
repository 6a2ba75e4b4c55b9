#ifndef PKTGRID_STORAGE_DATASET_FILE_H_
#define PKTGRID_STORAGE_DATASET_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pktgrid {

enum class Split : uint8_t { kTrain = 0, kVal = 1, kTest = 2 };

// A labelled packet dataset: one fixed-width byte vector per packet, its class
// and the split it belongs to. This is what preprocess produces and what
// workers train on.
struct Dataset {
  std::vector<std::string> class_names;  // index = label; sorted by name
  uint32_t feature_bytes = 0;            // width of every row
  std::vector<uint8_t> features;         // rows() * feature_bytes, row-major
  std::vector<uint16_t> labels;          // one per row
  std::vector<Split> splits;             // one per row
  // Flow index per row (for flow-grouped splits and leakage reports).
  std::vector<uint32_t> flow_ids;

  size_t rows() const { return labels.size(); }
  const uint8_t* row(size_t i) const {
    return features.data() + i * feature_bytes;
  }
  // Row indices of one split, in file order.
  std::vector<size_t> RowsOf(Split split) const;
  // Checks that the vectors agree in size and labels are in range.
  absl::Status Validate() const;
};

// Binary dataset file, version 1 (little-endian):
//   "PKTGRIDD" magic, u32 version, u32 feature_bytes, u64 rows,
//   u32 classes, then per class u16 length + UTF-8 name,
//   u16 labels[rows], u8 splits[rows], u32 flow_ids[rows],
//   u8 features[rows * feature_bytes],
//   32-byte SHA-256 of everything before it.
// The file's own SHA-256 is the dataset's identity.
absl::Status WriteDatasetFile(const std::string& path, const Dataset& dataset);

// Reads and verifies a dataset file; corrupt or truncated files get an error
// naming the file and what was wrong.
absl::StatusOr<Dataset> ReadDatasetFile(const std::string& path);
absl::StatusOr<Dataset> ParseDataset(const std::string& bytes,
                                     const std::string& origin);

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_DATASET_FILE_H_
