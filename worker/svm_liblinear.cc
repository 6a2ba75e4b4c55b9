// liblinear backend of the `svm` family.
#include <linear.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "worker/byte_io.h"
#include "worker/svm.h"

namespace pktgrid {
namespace {

void Quiet(const char*) {}

// Payload: u32 rows, u32 cols (features + bias), i32 label per row, i32
// negative label (binary models, else -1), then rows * cols doubles.
struct LinearWeights {
  uint32_t rows = 0, cols = 0;
  std::vector<int32_t> labels;
  int32_t negative_label = -1;
  std::vector<double> w;  // row-major: w[r * cols + j], bias last
};

std::string Encode(const LinearWeights& m) {
  ByteWriter out;
  out.Put(m.rows);
  out.Put(m.cols);
  for (int32_t l : m.labels) out.Put(l);
  out.Put(m.negative_label);
  out.PutBytes(m.w.data(), m.w.size() * sizeof(double));
  return std::move(out.str());
}

class LinearSvmPredictor : public Predictor {
 public:
  LinearSvmPredictor(const ModelHeader& header, LinearWeights m)
      : Predictor(header), m_(std::move(m)) {}

  absl::Status Predict(const float* x, size_t n, int32_t* out) override {
    const size_t features = m_.cols - 1;
    std::vector<double> scores(m_.rows);
    for (size_t i = 0; i < n; ++i) {
      const float* xi = x + i * features;
      for (uint32_t r = 0; r < m_.rows; ++r) {
        const double* w = m_.w.data() + r * m_.cols;
        double s = w[features];  // bias feature is 1
        for (size_t j = 0; j < features; ++j) s += w[j] * xi[j];
        scores[r] = s;
      }
      if (m_.rows == 1) {
        out[i] = scores[0] > 0 ? m_.labels[0] : m_.negative_label;
      } else {
        // First maximum, as liblinear's predict breaks ties.
        out[i] = m_.labels[std::max_element(scores.begin(), scores.end()) -
                           scores.begin()];
      }
    }
    return absl::OkStatus();
  }

 private:
  LinearWeights m_;
};

}  // namespace

absl::StatusOr<BackendOutput> TrainLinearSvm(const ModelHeader& header,
                                             const TrialData& data) {
  const Dataset& ds = *data.dataset;
  const int skip = header.skip_bytes, width = header.arch.input.bytes;
  const size_t n = data.train.size();
  if (n == 0) return absl::FailedPreconditionError("no training rows");

  // Sparse rows: non-zero bytes / 255, then the bias feature, then the -1
  // terminator. liblinear wants the caller to append the bias node itself.
  std::vector<feature_node> nodes;
  std::vector<size_t> starts;
  std::vector<double> y;
  for (size_t r : data.train) {
    starts.push_back(nodes.size());
    const uint8_t* in = ds.row(r) + skip;
    for (int j = 0; j < width; ++j) {
      if (in[j] != 0) nodes.push_back({j + 1, in[j] / 255.0});
    }
    nodes.push_back({width + 1, 1.0});
    nodes.push_back({-1, 0});
    y.push_back(ds.labels[r]);
  }
  std::vector<feature_node*> x;
  for (size_t s : starts) x.push_back(nodes.data() + s);

  problem prob{};
  prob.l = static_cast<int>(n);
  prob.n = width + 1;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = 1;
  parameter param{};
  param.solver_type = L2R_L2LOSS_SVC;
  param.eps = 1e-4;  // scikit-learn's tol
  param.C = 1;
  param.p = 0.1;
  if (const char* error = check_parameter(&prob, &param)) {
    return absl::InternalError(absl::StrCat("liblinear: ", error));
  }
  set_print_string_function(&Quiet);
  model* trained = train(&prob, &param);
  if (trained == nullptr) return absl::InternalError("liblinear: train failed");

  LinearWeights m;
  const int classes = trained->nr_class;
  const int nr_w = classes == 2 ? 1 : classes;
  m.rows = nr_w;
  m.cols = width + 1;
  for (int r = 0; r < nr_w; ++r) m.labels.push_back(trained->label[r]);
  if (classes == 2) m.negative_label = trained->label[1];
  // liblinear stores w feature-major: w[j * nr_w + r].
  m.w.resize(static_cast<size_t>(nr_w) * m.cols);
  for (int r = 0; r < nr_w; ++r) {
    for (uint32_t j = 0; j < m.cols; ++j) {
      m.w[r * m.cols + j] = trained->w[j * nr_w + r];
    }
  }
  free_and_destroy_model(&trained);

  BackendOutput out;
  out.payload = Encode(m);
  out.param_count = static_cast<int64_t>(m.w.size());
  return out;
}

absl::StatusOr<std::unique_ptr<Predictor>> LoadLinearSvmPredictor(
    const ModelHeader& header, const std::string& payload) {
  ByteReader in(payload);
  LinearWeights m;
  if (!in.Get(&m.rows) || !in.Get(&m.cols) || m.rows == 0 ||
      m.cols != static_cast<uint32_t>(header.arch.input.bytes) + 1) {
    return absl::DataLossError("svm weights: bad shape");
  }
  m.labels.resize(m.rows);
  for (auto& l : m.labels) {
    if (!in.Get(&l)) return absl::DataLossError("svm weights: truncated");
  }
  m.w.resize(static_cast<size_t>(m.rows) * m.cols);
  if (!in.Get(&m.negative_label) ||
      !in.GetBytes(m.w.data(), m.w.size() * sizeof(double)) || !in.AtEnd()) {
    return absl::DataLossError("svm weights: truncated or trailing bytes");
  }
  return std::unique_ptr<Predictor>(
      new LinearSvmPredictor(header, std::move(m)));
}

}  // namespace pktgrid
