#include "worker/fused_adam.h"

#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <vector>

#include "gtest/gtest.h"

namespace pktgrid {
namespace {

// Runs `steps` Adam steps on a copy of `init` with the gradients `grads(t)`,
// once with FusedAdam and once with torch::optim::Adam.
void ExpectMatchesTorchAdam(const torch::Tensor& init, int steps) {
  torch::manual_seed(3);
  std::vector<torch::Tensor> grads;
  for (int t = 0; t < steps; ++t) grads.push_back(torch::randn_like(init));

  torch::Tensor ours = init.clone().set_requires_grad(true);
  torch::Tensor theirs = init.clone().set_requires_grad(true);
  FusedAdam fused({ours}, /*lr=*/0.01, /*eps=*/1e-7);
  torch::optim::Adam reference({theirs},
                               torch::optim::AdamOptions(0.01).eps(1e-7));
  for (int t = 0; t < steps; ++t) {
    fused.ZeroGrad();
    ours.mutable_grad() = grads[t].clone();
    fused.Step();
    reference.zero_grad();
    theirs.mutable_grad() = grads[t].clone();
    reference.step();
  }
  torch::NoGradGuard no_grad;
  EXPECT_FALSE(ours.equal(init));
  EXPECT_TRUE(ours.allclose(theirs, /*rtol=*/1e-5, /*atol=*/1e-6))
      << "max difference " << (ours - theirs).abs().max().item<double>();
}

TEST(FusedAdamTest, FusedCpuPathMatchesTorchAdam) {
  // Large enough to be split across threads.
  ExpectMatchesTorchAdam(torch::randn({300, 301}), 25);
}

TEST(FusedAdamTest, TensorOpPathMatchesTorchAdam) {
  // float64 takes the tensor-op path, the one CUDA parameters take.
  ExpectMatchesTorchAdam(torch::randn({40, 7}, torch::kFloat64), 25);
}

TEST(FusedAdamTest, ParametersWithoutGradientsStayPut) {
  torch::Tensor p = torch::ones({5}).set_requires_grad(true);
  FusedAdam adam({p}, 0.1, 1e-7);
  adam.ZeroGrad();
  adam.Step();
  EXPECT_TRUE(p.equal(torch::ones({5})));
}

}  // namespace
}  // namespace pktgrid
