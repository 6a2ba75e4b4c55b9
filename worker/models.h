#ifndef PKTGRID_WORKER_MODELS_H_
#define PKTGRID_WORKER_MODELS_H_

// LibTorch model stacks. Include only from the few .cc files that need torch
// (compiling its headers is slow); everything else goes through predictor.h.

#include <torch/nn/modules/container/sequential.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "worker/architecture.h"

namespace pktgrid {

// A built network plus the kernels the L2 penalty may apply to.
struct TorchModel {
  torch::nn::Sequential net;
  torch::Tensor output_kernel;             // the last dense layer's weight
  std::vector<torch::Tensor> all_kernels;  // every conv/dense weight
};

// Builds the Keras-equivalent stack of a torch family (softmax left to the
// loss), initialised like Keras: Glorot-uniform kernels, zero biases. Draws
// from torch's global generator, so seed it first for reproducibility.
// Input: [N, 1, H, W] for CNNs, [N, bytes] for MLPs.
absl::StatusOr<TorchModel> BuildTorchModel(const Architecture& arch,
                                           double dropout);

// Number of scalar parameters of a module (must equal arch.param_count).
int64_t CountParameters(const torch::nn::Module& module);

// Reshapes a [N, bytes] float batch into the model's input layout.
torch::Tensor ShapeInput(const torch::Tensor& flat, const Architecture& arch);

// Deterministic weights blob: per named parameter, in registration order,
// name, shape and float32 little-endian values. Loading checks names and
// shapes against the freshly built module.
std::string SerializeWeights(const torch::nn::Module& module);
absl::Status LoadWeights(const std::string& blob, torch::nn::Module& module);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_MODELS_H_
