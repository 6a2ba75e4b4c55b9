#include "worker/predictor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pktgrid {

absl::Status CheckInputFits(const Dataset& dataset, int skip_bytes, int bytes) {
  if (skip_bytes < 0 || bytes <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad input window: skip_bytes=", skip_bytes, " input_bytes=", bytes));
  }
  if (static_cast<int64_t>(skip_bytes) + bytes > dataset.feature_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input window [", skip_bytes, ", ", skip_bytes + bytes,
        ") does not fit the dataset's ", dataset.feature_bytes, "-byte rows"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<float>> ScaledInput(const Dataset& dataset,
                                               const std::vector<size_t>& rows,
                                               int skip_bytes, int bytes) {
  if (absl::Status s = CheckInputFits(dataset, skip_bytes, bytes); !s.ok()) {
    return s;
  }
  std::vector<float> x(rows.size() * bytes);
  float* out = x.data();
  for (size_t r : rows) {
    const uint8_t* in = dataset.row(r) + skip_bytes;
    for (int j = 0; j < bytes; ++j) *out++ = in[j] / 255.0f;
  }
  return x;
}

absl::StatusOr<std::vector<int32_t>> PredictRows(
    Predictor& predictor, const Dataset& dataset,
    const std::vector<size_t>& rows) {
  // Converting everything at once would double the dataset in floats.
  constexpr size_t kChunk = 4096;
  const ModelHeader& header = predictor.header();
  std::vector<int32_t> predictions(rows.size());
  for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const size_t end = std::min(rows.size(), begin + kChunk);
    std::vector<size_t> chunk(rows.begin() + begin, rows.begin() + end);
    auto x =
        ScaledInput(dataset, chunk, header.skip_bytes, header.arch.input.bytes);
    if (!x.ok()) return x.status();
    absl::Status s =
        predictor.Predict(x->data(), chunk.size(), predictions.data() + begin);
    if (!s.ok()) return s;
  }
  return predictions;
}

}  // namespace pktgrid
