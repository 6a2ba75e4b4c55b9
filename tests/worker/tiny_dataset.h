#ifndef PKTGRID_TESTS_WORKER_TINY_DATASET_H_
#define PKTGRID_TESTS_WORKER_TINY_DATASET_H_

#include <cstdint>

#include "storage/dataset_file.h"

namespace pktgrid {

// A small synthetic dataset with three easily separable classes: noise bytes
// plus a class-specific stripe. Rows cycle through train/train/train/val/test.
// Deterministic for a given (rows, feature_bytes).
Dataset TinyDataset(int rows = 600, uint32_t feature_bytes = 84);

}  // namespace pktgrid

#endif  // PKTGRID_TESTS_WORKER_TINY_DATASET_H_
