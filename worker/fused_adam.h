#ifndef PKTGRID_WORKER_FUSED_ADAM_H_
#define PKTGRID_WORKER_FUSED_ADAM_H_

// Include only from files that already need torch (see models.h).

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace pktgrid {

// Adam (betas 0.9, 0.999, no weight decay) with one fused pass per parameter
// on the CPU. torch::optim::Adam (and Python's single-tensor Adam on CPU)
// makes about ten elementwise passes with two temporaries per parameter per
// step, which for the MLPs costs as much as the matrix products. Same update
// as torch's, in float:
//   m = m*b1 + (1-b1)*g;  v = v*b2 + (1-b2)*g*g
//   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// Each element depends only on itself, so results do not depend on the
// thread count. Parameters that are not contiguous float32 CPU tensors (CUDA,
// other dtypes) get the same formula as tensor ops.
class FusedAdam {
 public:
  // `params` share storage with the module's (torch::nn::Module::parameters);
  // move the module to its device first.
  FusedAdam(std::vector<torch::Tensor> params, double lr, double eps);

  // Gradients to "none" (Python's zero_grad(set_to_none=True)): the next
  // backward writes them instead of adding to zeros.
  void ZeroGrad();

  void Step();

 private:
  std::vector<torch::Tensor> params_, m_, v_;
  double lr_, eps_;
  int64_t step_ = 0;
};

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_FUSED_ADAM_H_
