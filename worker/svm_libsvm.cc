// libsvm backend of the `svm_libsvm` family.
#include "worker/svm.h"

#include <libsvm/svm.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace {

void Quiet(const char*) {}

// libsvm only saves to and loads from files: a private temp file that is
// removed when this goes out of scope.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = absl::StrCat(dir != nullptr && *dir ? dir : "/tmp",
                         "/pktgrid-libsvm-XXXXXX");
    const int fd = mkstemp(path_.data());
    if (fd < 0) {
      path_.clear();
    } else {
      close(fd);
    }
  }
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ModelFree {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};
using ModelPtr = std::unique_ptr<svm_model, ModelFree>;

// Sparse libsvm nodes of one input (zeros omitted, -1 terminated).
void AppendNodes(const float* x, int width, std::vector<svm_node>* nodes) {
  for (int j = 0; j < width; ++j) {
    if (x[j] != 0) nodes->push_back({j + 1, x[j]});
  }
  nodes->push_back({-1, 0});
}

class LibsvmPredictor : public Predictor {
 public:
  LibsvmPredictor(const ModelHeader& header, ModelPtr model)
      : Predictor(header), model_(std::move(model)) {}

  absl::Status Predict(const float* x, size_t n, int32_t* out) override {
    const int width = header().arch.input.bytes;
    std::vector<svm_node> nodes;
    for (size_t i = 0; i < n; ++i) {
      nodes.clear();
      AppendNodes(x + i * width, width, &nodes);
      out[i] = static_cast<int32_t>(svm_predict(model_.get(), nodes.data()));
    }
    return absl::OkStatus();
  }

 private:
  ModelPtr model_;
};

// Support-vector coordinates + dual coefficients + intercepts.
int64_t LibsvmParamCount(const svm_model& m, int width) {
  const int64_t k = m.nr_class;
  return static_cast<int64_t>(m.l) * width + m.l * (k - 1) + k * (k - 1) / 2;
}

}  // namespace

absl::StatusOr<BackendOutput> TrainLibsvm(const ModelHeader& header,
                                          const TrialData& data) {
  const Dataset& ds = *data.dataset;
  const int width = header.arch.input.bytes;
  if (data.train.empty()) {
    return absl::FailedPreconditionError("no training rows");
  }
  auto x = ScaledInput(ds, data.train, header.skip_bytes, width);
  if (!x.ok()) return x.status();

  std::vector<svm_node> nodes;
  std::vector<size_t> starts;
  std::vector<double> y;
  for (size_t i = 0; i < data.train.size(); ++i) {
    starts.push_back(nodes.size());
    AppendNodes(x->data() + i * width, width, &nodes);
    y.push_back(ds.labels[data.train[i]]);
  }
  std::vector<svm_node*> rows;
  for (size_t s : starts) rows.push_back(nodes.data() + s);

  svm_parameter param{};
  param.svm_type = C_SVC;
  if (header.kernel.empty() || header.kernel == "linear") {
    param.kernel_type = LINEAR;
  } else if (header.kernel == "rbf") {
    param.kernel_type = RBF;
    double sum = 0, sum2 = 0;
    for (float v : *x) {
      sum += v;
      sum2 += static_cast<double>(v) * v;
    }
    const double count = static_cast<double>(x->size());
    const double var = sum2 / count - (sum / count) * (sum / count);
    param.gamma = var > 0 ? 1.0 / (width * var) : 1.0 / width;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("svm_libsvm kernel must be linear or rbf, got \"",
                     header.kernel, "\""));
  }
  param.cache_size = 200;
  param.eps = 1e-3;
  param.C = 1;
  param.shrinking = 1;

  svm_problem prob{};
  prob.l = static_cast<int>(rows.size());
  prob.y = y.data();
  prob.x = rows.data();
  if (const char* error = svm_check_parameter(&prob, &param)) {
    return absl::InternalError(absl::StrCat("libsvm: ", error));
  }
  svm_set_print_string_function(&Quiet);
  ModelPtr trained(svm_train(&prob, &param));
  if (!trained) return absl::InternalError("libsvm: train failed");

  TempFile file;
  if (file.path().empty() ||
      svm_save_model(file.path().c_str(), trained.get()) != 0) {
    return absl::InternalError("libsvm: cannot save the model to a temp file");
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  BackendOutput out;
  out.payload = text.str();
  out.param_count = LibsvmParamCount(*trained, width);
  return out;
}

absl::StatusOr<std::unique_ptr<Predictor>> LoadLibsvmPredictor(
    const ModelHeader& header, const std::string& payload) {
  TempFile file;
  {
    std::ofstream out(file.path(), std::ios::binary);
    out << payload;
    if (file.path().empty() || !out) {
      return absl::InternalError("libsvm: cannot write a temp file");
    }
  }
  ModelPtr model(svm_load_model(file.path().c_str()));
  if (!model) return absl::DataLossError("libsvm: unreadable model payload");
  return std::unique_ptr<Predictor>(
      new LibsvmPredictor(header, std::move(model)));
}

}  // namespace pktgrid
