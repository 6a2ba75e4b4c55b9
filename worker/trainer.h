#ifndef PKTGRID_WORKER_TRAINER_H_
#define PKTGRID_WORKER_TRAINER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "proto/pktgrid.pb.h"
#include "storage/dataset_file.h"

namespace pktgrid {

// Where and how a trial runs on this worker.
struct TrainEnv {
  int threads = 0;             // 0 = every core the process may use
  std::string device = "cpu";  // "cpu" or "cuda:N"
};

struct TrainOutput {
  TrainResult result;          // model_sha256 is the digest of `artifact`
  std::string model_artifact;  // self-describing model file (see model_file.h)
};

// Called after each epoch. A non-OK status stops training (e.g. lease lost).
using EpochCallback = std::function<absl::Status(const EpochMetrics&)>;

// Trains one trial on the dataset's train split, early-stops on the val split,
// evaluates the kept (best-validation) model on the test split.
absl::StatusOr<TrainOutput> TrainTrial(const TrialConfig& config,
                                       const Dataset& dataset,
                                       const TrainEnv& env,
                                       const EpochCallback& on_epoch);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_TRAINER_H_
