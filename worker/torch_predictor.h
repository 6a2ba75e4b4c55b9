#ifndef PKTGRID_WORKER_TORCH_PREDICTOR_H_
#define PKTGRID_WORKER_TORCH_PREDICTOR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "worker/predictor.h"

namespace pktgrid {

// Rebuilds a CNN/MLP from its header and loads the weights blob written by
// models.h's SerializeWeights. The predictor runs on CPU in eval mode.
absl::StatusOr<std::unique_ptr<Predictor>> LoadTorchPredictor(
    const ModelHeader& header, const std::string& weights);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_TORCH_PREDICTOR_H_
