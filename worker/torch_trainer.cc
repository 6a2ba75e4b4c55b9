#include "worker/torch_trainer.h"

#include <c10/util/Exception.h>
#include <torch/nn/functional/loss.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <numeric>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "worker/early_stopping.h"
#include "worker/fused_adam.h"
#include "worker/models.h"
#include "worker/torch_runtime.h"

namespace pktgrid {
namespace {

// Rows of one split as raw input bytes (uint8 keeps memory at a quarter of
// floats) plus labels.
struct SplitTensors {
  torch::Tensor bytes;   // [n, input_bytes] uint8, CPU
  torch::Tensor labels;  // [n] int64, CPU
  int64_t size() const { return labels.size(0); }
};

SplitTensors Gather(const Dataset& dataset, const std::vector<size_t>& rows,
                    int skip, int width) {
  SplitTensors s;
  const int64_t n = static_cast<int64_t>(rows.size());
  s.bytes = torch::empty({n, width}, torch::kUInt8);
  s.labels = torch::empty({n}, torch::kInt64);
  uint8_t* out = s.bytes.data_ptr<uint8_t>();
  int64_t* labels = s.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    std::copy_n(dataset.row(rows[i]) + skip, width, out + i * width);
    labels[i] = dataset.labels[rows[i]];
  }
  return s;
}

// Rows `rows[0..n)` of a split as a float batch, byte -> byte / 255.0f through
// a table so the values are bit-identical to predictor.cc's ScaledInput (what
// a loaded model is fed). One pass straight from the uint8 rows into the
// batch: no int64 index or intermediate tensors per batch.
class Scaler {
 public:
  Scaler() {
    for (int i = 0; i < 256; ++i) table_[i] = i / 255.0f;
  }
  torch::Tensor operator()(const SplitTensors& split, const int64_t* rows,
                           int64_t n) const {
    const int64_t width = split.bytes.size(1);
    torch::Tensor out = torch::empty({n, width}, torch::kFloat32);
    const uint8_t* src = split.bytes.data_ptr<uint8_t>();
    float* dst = out.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
      const uint8_t* row = src + rows[i] * width;
      for (int64_t j = 0; j < width; ++j) dst[j] = table_[row[j]];
      dst += width;
    }
    return out;
  }

 private:
  std::array<float, 256> table_;
};

struct Evaluation {
  double loss = 0;  // mean cross-entropy + penalty, like Keras' val_loss
  double accuracy = 0;
  std::vector<int32_t> predictions;
};

class TorchTraining {
 public:
  TorchTraining(const ModelHeader& header, const TrialConfig& config,
                const TrainingSettings& settings, TorchModel model,
                torch::Device device)
      : header_(header),
        config_(config),
        settings_(settings),
        model_(std::move(model)),
        device_(device),
        rng_(config.seed()) {}

  absl::StatusOr<BackendOutput> Run(const SplitTensors& train,
                                    const SplitTensors& val,
                                    const SplitTensors& test,
                                    const EpochCallback& on_epoch) {
    model_.net->to(device_);
    // Keras' Adam epsilon (1e-7), not torch's 1e-8; betas are the same.
    FusedAdam adam(model_.net->parameters(), config_.learning_rate(), 1e-7);
    EarlyStopping stopping(settings_.patience);
    std::vector<torch::Tensor> best_weights;
    BackendOutput out;
    for (int epoch = 1; epoch <= settings_.max_epochs; ++epoch) {
      const auto start = std::chrono::steady_clock::now();
      EpochMetrics metrics;
      metrics.set_epoch(epoch);
      TrainEpoch(train, adam, &metrics);
      const Evaluation v = Evaluate(val, /*keep_predictions=*/false);
      metrics.set_val_loss(v.loss);
      metrics.set_val_accuracy(v.accuracy);
      metrics.set_seconds(std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
      out.epochs = epoch;
      if (stopping.Update(epoch, v.accuracy)) best_weights = Snapshot();
      if (on_epoch) {
        if (absl::Status s = on_epoch(metrics); !s.ok()) return s;
      }
      if (stopping.ShouldStop()) break;
    }
    Restore(best_weights);
    out.best_epoch = stopping.best_epoch();
    out.val_accuracy = stopping.best_value();
    out.test_predictions =
        Evaluate(test, /*keep_predictions=*/true).predictions;
    out.payload = SerializeWeights(*model_.net);
    out.param_count = CountParameters(*model_.net);
    out.device = device_.str();
    return out;
  }

 private:
  torch::Tensor Penalty() const {
    if (settings_.l2 == 0) return torch::zeros({}, device_);
    torch::Tensor sum = model_.output_kernel.pow(2).sum();
    if (settings_.l2_all_layers) {
      sum = torch::zeros({}, device_);
      for (const auto& k : model_.all_kernels) sum = sum + k.pow(2).sum();
    }
    return settings_.l2 * sum;
  }

  torch::Tensor Batch(const SplitTensors& split, const int64_t* rows,
                      int64_t n) {
    return ShapeInput(scale_(split, rows, n), header_.arch).to(device_);
  }

  void TrainEpoch(const SplitTensors& train, FusedAdam& adam,
                  EpochMetrics* metrics) {
    model_.net->train();
    // Keras shuffles the training set every epoch.
    std::vector<int64_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng_);
    const int64_t* all_labels = train.labels.data_ptr<int64_t>();
    double loss_sum = 0;
    int64_t correct = 0;
    for (int64_t begin = 0; begin < train.size();
         begin += settings_.batch_size) {
      const int64_t end =
          std::min<int64_t>(train.size(), begin + settings_.batch_size);
      const int64_t* rows = order.data() + begin;
      torch::Tensor labels = torch::empty({end - begin}, torch::kInt64);
      std::transform(rows, rows + (end - begin), labels.data_ptr<int64_t>(),
                     [all_labels](int64_t r) { return all_labels[r]; });
      const torch::Tensor y = labels.to(device_);
      adam.ZeroGrad();
      const torch::Tensor logits =
          model_.net->forward(Batch(train, rows, end - begin));
      const torch::Tensor loss =
          torch::nn::functional::cross_entropy(logits, y) + Penalty();
      loss.backward();
      adam.Step();
      // Keras reports the running mean over the epoch's batches.
      loss_sum += loss.item<double>() * (end - begin);
      correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    }
    const double n = std::max<int64_t>(train.size(), 1);
    metrics->set_train_loss(loss_sum / n);
    metrics->set_train_accuracy(correct / n);
  }

  Evaluation Evaluate(const SplitTensors& split, bool keep_predictions) {
    constexpr int64_t kBatch = 1024;
    torch::NoGradGuard no_grad;
    model_.net->eval();
    Evaluation e;
    double ce_sum = 0;
    int64_t correct = 0;
    std::vector<int64_t> rows(std::min(split.size(), kBatch));
    for (int64_t begin = 0; begin < split.size(); begin += kBatch) {
      const int64_t end = std::min(split.size(), begin + kBatch);
      std::iota(rows.begin(), rows.begin() + (end - begin), begin);
      const torch::Tensor y = split.labels.slice(0, begin, end).to(device_);
      const torch::Tensor logits =
          model_.net->forward(Batch(split, rows.data(), end - begin));
      ce_sum += torch::nn::functional::cross_entropy(
                    logits, y,
                    torch::nn::functional::CrossEntropyFuncOptions().reduction(
                        torch::kSum))
                    .item<double>();
      const torch::Tensor predicted = logits.argmax(1);
      correct += predicted.eq(y).sum().item<int64_t>();
      if (keep_predictions) {
        const torch::Tensor p = predicted.to(torch::kCPU, torch::kInt32);
        e.predictions.insert(e.predictions.end(), p.data_ptr<int32_t>(),
                             p.data_ptr<int32_t>() + p.numel());
      }
    }
    const double n = std::max<int64_t>(split.size(), 1);
    e.loss = ce_sum / n + Penalty().item<double>();
    e.accuracy = correct / n;
    return e;
  }

  std::vector<torch::Tensor> Snapshot() const {
    std::vector<torch::Tensor> copy;
    for (const auto& p : model_.net->parameters()) {
      copy.push_back(p.detach().clone());
    }
    return copy;
  }

  void Restore(const std::vector<torch::Tensor>& weights) {
    torch::NoGradGuard no_grad;
    auto params = model_.net->parameters();
    for (size_t i = 0; i < weights.size() && i < params.size(); ++i) {
      params[i].copy_(weights[i]);
    }
  }

  const ModelHeader& header_;
  const TrialConfig& config_;
  const TrainingSettings settings_;
  TorchModel model_;
  torch::Device device_;
  std::mt19937_64 rng_;
  Scaler scale_;
};

absl::StatusOr<torch::Device> PickDevice(const TrainEnv& env) {
  if (absl::StartsWith(env.device, "cuda") && TorchCudaAvailable()) {
    return torch::Device(env.device);
  }
  return torch::Device(torch::kCPU);
}

}  // namespace

absl::StatusOr<BackendOutput> TrainTorchModel(const ModelHeader& header,
                                              const TrialConfig& config,
                                              const TrialData& data,
                                              const TrainEnv& env,
                                              const EpochCallback& on_epoch) {
  try {
    if (config.learning_rate() <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "learning_rate must be positive, got ", config.learning_rate()));
    }
    if (data.train.empty() || data.val.empty()) {
      return absl::FailedPreconditionError(
          "the dataset needs train and val rows to train a network");
    }
    SetTorchThreads(env.threads);
    // Same seed, same weights, dropout masks and batch order.
    SeedTorch(config.seed());
    auto device = PickDevice(env);
    if (!device.ok()) return device.status();
    auto model = BuildTorchModel(header.arch, config.dropout());
    if (!model.ok()) return model.status();
    const Dataset& ds = *data.dataset;
    const int skip = header.skip_bytes, width = header.arch.input.bytes;
    TorchTraining training(header, config, ResolveTraining(config.training()),
                           *std::move(model), *device);
    return training.Run(Gather(ds, data.train, skip, width),
                        Gather(ds, data.val, skip, width),
                        Gather(ds, data.test, skip, width), on_epoch);
  } catch (const c10::Error& e) {
    return absl::InternalError(
        absl::StrCat("torch: ", e.what_without_backtrace()));
  }
}

}  // namespace pktgrid
