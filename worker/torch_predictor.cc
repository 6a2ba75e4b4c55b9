#include "worker/torch_predictor.h"

#include <c10/util/Exception.h>

#include "absl/strings/str_cat.h"
#include "worker/models.h"

namespace pktgrid {
namespace {

class TorchPredictor : public Predictor {
 public:
  TorchPredictor(const ModelHeader& header, TorchModel model)
      : Predictor(header), model_(std::move(model)) {
    model_.net->eval();
  }

  absl::Status Predict(const float* x, size_t n, int32_t* out) override {
    try {
      torch::NoGradGuard no_grad;
      // from_blob wraps the caller's buffer: no copy on the timed path.
      const torch::Tensor flat =
          torch::from_blob(const_cast<float*>(x),
                           {static_cast<int64_t>(n), header().arch.input.bytes},
                           torch::kFloat32);
      const torch::Tensor predicted =
          model_.net->forward(ShapeInput(flat, header().arch))
              .argmax(1)
              .to(torch::kInt32);
      std::copy_n(predicted.data_ptr<int32_t>(), n, out);
      return absl::OkStatus();
    } catch (const c10::Error& e) {
      return absl::InternalError(
          absl::StrCat("torch predict: ", e.what_without_backtrace()));
    }
  }

 private:
  TorchModel model_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Predictor>> LoadTorchPredictor(
    const ModelHeader& header, const std::string& weights) {
  try {
    // Dropout is inert in eval mode; its rate does not matter here.
    auto model = BuildTorchModel(header.arch, /*dropout=*/0);
    if (!model.ok()) return model.status();
    if (absl::Status s = LoadWeights(weights, *model->net); !s.ok()) return s;
    return std::unique_ptr<Predictor>(
        new TorchPredictor(header, *std::move(model)));
  } catch (const c10::Error& e) {
    return absl::InternalError(
        absl::StrCat("torch load: ", e.what_without_backtrace()));
  }
}

}  // namespace pktgrid
