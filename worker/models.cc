#include "worker/models.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include "absl/strings/str_cat.h"
#include "worker/byte_io.h"

namespace pktgrid {
namespace {

constexpr uint32_t kWeightsMagic = 0x31574750;  // "PGW1"

namespace nn = torch::nn;

// Keras Conv2D(f, 3, padding="same", activation="relu").
void AddConv(TorchModel& m, int64_t in, int64_t out) {
  nn::Conv2d conv(nn::Conv2dOptions(in, out, 3).stride(1).padding(1));
  m.net->push_back(conv);
  m.net->push_back(nn::ReLU());
  m.all_kernels.push_back(conv->weight);
}

// Keras MaxPooling2D(2): valid padding, floor.
void AddPool(TorchModel& m) {
  m.net->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
}

// Dense(out) [+ ReLU + Dropout when hidden].
void AddDense(TorchModel& m, int64_t in, int64_t out, bool hidden,
              double dropout) {
  nn::Linear dense(in, out);
  m.net->push_back(dense);
  m.all_kernels.push_back(dense->weight);
  m.output_kernel = dense->weight;
  if (hidden) {
    m.net->push_back(nn::ReLU());
    m.net->push_back(nn::Dropout(dropout));
  }
}

int64_t PooledArea(const InputShape& in, int pools) {
  int64_t h = in.height, w = in.width;
  for (int i = 0; i < pools; ++i) {
    h /= 2;
    w /= 2;
  }
  return h * w;
}

// Keras' defaults, so training dynamics match the paper's code: Glorot
// uniform (fan computed over the 3x3 receptive field) and zero biases.
void InitLikeKeras(nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.named_parameters(/*recurse=*/true)) {
    if (p.key().size() >= 4 &&
        p.key().compare(p.key().size() - 4, 4, "bias") == 0) {
      p.value().zero_();
    } else {
      nn::init::xavier_uniform_(p.value());
    }
  }
}

}  // namespace

absl::StatusOr<TorchModel> BuildTorchModel(const Architecture& arch,
                                           double dropout) {
  if (dropout < 0 || dropout >= 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("dropout must be in [0, 1), got ", dropout));
  }
  TorchModel m;
  const auto& w = arch.widths;
  const int64_t classes = arch.classes;
  switch (arch.family) {
    case Family::kDeepCnn: {
      const int64_t f = w.at(0);
      AddConv(m, 1, f);
      AddConv(m, f, f);
      AddPool(m);
      AddConv(m, f, f);
      AddConv(m, f, f);
      AddPool(m);
      m.net->push_back(nn::Flatten());
      AddDense(m, PooledArea(arch.input, 2) * f, f, /*hidden=*/true, dropout);
      AddDense(m, f, classes, /*hidden=*/false, dropout);
      break;
    }
    case Family::kShallowCnn: {
      const int64_t f = w.at(0), d = w.at(1);
      AddConv(m, 1, f);
      AddPool(m);
      m.net->push_back(nn::Flatten());
      AddDense(m, PooledArea(arch.input, 1) * f, d, /*hidden=*/true, dropout);
      AddDense(m, d, classes, /*hidden=*/false, dropout);
      break;
    }
    case Family::kShallowMlp:
    case Family::kDeepMlp: {
      int64_t in = arch.input.bytes;
      for (int width : w) {
        AddDense(m, in, width, /*hidden=*/true, dropout);
        in = width;
      }
      AddDense(m, in, classes, /*hidden=*/false, dropout);
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(FamilyName(arch.family), " is not a torch model"));
  }
  InitLikeKeras(*m.net);
  return m;
}

int64_t CountParameters(const torch::nn::Module& module) {
  int64_t total = 0;
  for (const auto& p : module.parameters(/*recurse=*/true)) total += p.numel();
  return total;
}

torch::Tensor ShapeInput(const torch::Tensor& flat, const Architecture& arch) {
  if (!IsCnn(arch.family)) return flat;
  // Row-major reshape, like the paper's numpy reshape to 40x37.
  return flat.view({flat.size(0), 1, arch.input.height, arch.input.width});
}

std::string SerializeWeights(const torch::nn::Module& module) {
  ByteWriter out;
  const auto params = module.named_parameters(/*recurse=*/true);
  out.Put<uint32_t>(kWeightsMagic);
  out.Put<uint32_t>(static_cast<uint32_t>(params.size()));
  for (const auto& p : params) {
    const torch::Tensor t =
        p.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
    out.PutString(p.key());
    out.Put<uint32_t>(static_cast<uint32_t>(t.dim()));
    for (int64_t d : t.sizes()) out.Put<int64_t>(d);
    out.PutBytes(t.data_ptr<float>(), t.numel() * sizeof(float));
  }
  return std::move(out.str());
}

absl::Status LoadWeights(const std::string& blob, torch::nn::Module& module) {
  ByteReader in(blob);
  auto params = module.named_parameters(/*recurse=*/true);
  uint32_t magic = 0, count = 0;
  if (!in.Get(&magic) || magic != kWeightsMagic || !in.Get(&count)) {
    return absl::DataLossError("model weights: bad header");
  }
  if (count != params.size()) {
    return absl::DataLossError(absl::StrCat("model weights: file has ", count,
                                            " tensors, the model ",
                                            params.size()));
  }
  torch::NoGradGuard no_grad;
  for (auto& p : params) {
    std::string name;
    uint32_t dim = 0;
    if (!in.GetString(&name) || !in.Get(&dim) || name != p.key() ||
        dim != static_cast<uint32_t>(p.value().dim())) {
      return absl::DataLossError(
          absl::StrCat("model weights: tensor ", p.key(), " missing"));
    }
    for (uint32_t i = 0; i < dim; ++i) {
      int64_t size = 0;
      if (!in.Get(&size) || size != p.value().size(i)) {
        return absl::DataLossError(absl::StrCat("model weights: tensor ",
                                                p.key(),
                                                " has the wrong "
                                                "shape"));
      }
    }
    torch::Tensor values = torch::empty(p.value().sizes(), torch::kFloat32);
    if (!in.GetBytes(values.data_ptr<float>(),
                     values.numel() * sizeof(float))) {
      return absl::DataLossError("model weights: truncated");
    }
    p.value().copy_(values);
  }
  if (!in.AtEnd()) return absl::DataLossError("model weights: trailing bytes");
  return absl::OkStatus();
}

}  // namespace pktgrid
