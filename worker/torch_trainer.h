#ifndef PKTGRID_WORKER_TORCH_TRAINER_H_
#define PKTGRID_WORKER_TORCH_TRAINER_H_

#include "absl/status/statusor.h"
#include "proto/pktgrid.pb.h"
#include "worker/backend.h"
#include "worker/predictor.h"
#include "worker/trainer.h"

namespace pktgrid {

// Trains a CNN or MLP the paper's way (Adam, cross-entropy, L2 on the output
// kernel, early stopping on val accuracy, best epoch kept). Torch-free
// declaration; the LibTorch code stays in torch_trainer.cc.
absl::StatusOr<BackendOutput> TrainTorchModel(const ModelHeader& header,
                                              const TrialConfig& config,
                                              const TrialData& data,
                                              const TrainEnv& env,
                                              const EpochCallback& on_epoch);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_TORCH_TRAINER_H_
