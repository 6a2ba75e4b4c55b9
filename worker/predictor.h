#ifndef PKTGRID_WORKER_PREDICTOR_H_
#define PKTGRID_WORKER_PREDICTOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/dataset_file.h"
#include "worker/architecture.h"

namespace pktgrid {

// What a model file says about its model besides the weights: enough to
// rebuild it and to feed it the same input it was trained on.
struct ModelHeader {
  Architecture arch;   // family, widths, input shape, classes, param count
  int skip_bytes = 0;  // input = row bytes [skip, skip + arch.input.bytes)
  std::string kernel;  // svm_libsvm only: "linear" or "rbf"
  std::vector<std::string> class_names;
};

// A loaded model of any family. Torch-free so the benchmark, the runtime and
// tests can use it without LibTorch headers.
class Predictor {
 public:
  explicit Predictor(ModelHeader header) : header_(std::move(header)) {}
  virtual ~Predictor() = default;
  Predictor(const Predictor&) = delete;
  Predictor& operator=(const Predictor&) = delete;

  // Predicts the class of `n` inputs already scaled to [0, 1]: `x` holds
  // n * header().arch.input.bytes floats, row-major.
  virtual absl::Status Predict(const float* x, size_t n, int32_t* out) = 0;

  const ModelHeader& header() const { return header_; }

 private:
  ModelHeader header_;
};

// Model input of dataset rows: bytes [skip, skip + bytes) of each row / 255,
// the paper's scaling. Errors if the rows are narrower than skip + bytes.
absl::StatusOr<std::vector<float>> ScaledInput(const Dataset& dataset,
                                               const std::vector<size_t>& rows,
                                               int skip_bytes, int bytes);

// Checks that rows of `dataset` can feed a model reading [skip, skip+bytes).
absl::Status CheckInputFits(const Dataset& dataset, int skip_bytes, int bytes);

// Predicts dataset rows in chunks (bounded memory), in the given order.
absl::StatusOr<std::vector<int32_t>> PredictRows(
    Predictor& predictor, const Dataset& dataset,
    const std::vector<size_t>& rows);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_PREDICTOR_H_
