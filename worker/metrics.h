#ifndef PKTGRID_WORKER_METRICS_H_
#define PKTGRID_WORKER_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "proto/pktgrid.pb.h"

namespace pktgrid {

// Test-set scores: accuracy, per-class precision/recall/F1 (0 where a class
// has no predictions or no support, like scikit-learn's zero_division=0),
// macro-F1 over all classes and the confusion matrix (true x predicted).
// Fills those fields of `result`; predictions outside [0, classes) count as
// wrong and are left out of the matrix.
void ScoreClassification(const std::vector<std::string>& class_names,
                         const std::vector<int32_t>& truth,
                         const std::vector<int32_t>& predicted,
                         TrainResult* result);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_METRICS_H_
