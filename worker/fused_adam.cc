#include "worker/fused_adam.h"

#include <ATen/Parallel.h>
#include <torch/utils.h>

#include <cmath>

namespace pktgrid {
namespace {

constexpr double kBeta1 = 0.9, kBeta2 = 0.999;

// Non-aliasing pointers and -fno-math-errno (BUILD.bazel) let the compiler
// vectorise this loop.
void AdamKernel(float* __restrict__ p, const float* __restrict__ g,
                float* __restrict__ m, float* __restrict__ v, int64_t n,
                float step_size, float bc2_sqrt, float eps) {
  constexpr float b1 = kBeta1, b2 = kBeta2, a1 = 1 - kBeta1, a2 = 1 - kBeta2;
  for (int64_t j = 0; j < n; ++j) {
    const float mj = m[j] * b1 + a1 * g[j];
    const float vj = v[j] * b2 + a2 * (g[j] * g[j]);
    m[j] = mj;
    v[j] = vj;
    p[j] -= step_size * (mj / (std::sqrt(vj) / bc2_sqrt + eps));
  }
}

}  // namespace

FusedAdam::FusedAdam(std::vector<torch::Tensor> params, double lr, double eps)
    : params_(std::move(params)), lr_(lr), eps_(eps) {
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p));
    v_.push_back(torch::zeros_like(p));
  }
}

void FusedAdam::ZeroGrad() {
  for (auto& p : params_) p.mutable_grad() = torch::Tensor();
}

void FusedAdam::Step() {
  torch::NoGradGuard no_grad;
  ++step_;
  const double bc1 = 1 - std::pow(kBeta1, step_);
  const double bc2_sqrt = std::sqrt(1 - std::pow(kBeta2, step_));
  const double step_size = lr_ / bc1;
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& p = params_[i];
    const torch::Tensor& g = p.grad();
    if (!g.defined()) continue;
    if (p.is_cpu() && p.scalar_type() == torch::kFloat32 &&
        g.scalar_type() == torch::kFloat32 && p.is_contiguous() &&
        g.is_contiguous()) {
      float* pp = p.data_ptr<float>();
      const float* gp = g.data_ptr<float>();
      float* mp = m_[i].data_ptr<float>();
      float* vp = v_[i].data_ptr<float>();
      const float s = static_cast<float>(step_size);
      const float b = static_cast<float>(bc2_sqrt);
      const float e = static_cast<float>(eps_);
      at::parallel_for(0, p.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
        AdamKernel(pp + begin, gp + begin, mp + begin, vp + begin, end - begin,
                   s, b, e);
      });
      continue;
    }
    // torch::optim::Adam's own sequence of tensor ops.
    m_[i].mul_(kBeta1).add_(g, 1 - kBeta1);
    v_[i].mul_(kBeta2).addcmul_(g, g, 1 - kBeta2);
    p.addcdiv_(m_[i], (v_[i].sqrt() / bc2_sqrt).add_(eps_), -step_size);
  }
}

}  // namespace pktgrid
