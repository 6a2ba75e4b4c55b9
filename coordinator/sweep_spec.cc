#include "coordinator/sweep_spec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "coordinator/presets.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace {

bool IsSvm(const std::string& family) {
  return family == "svm" || family == "svm_libsvm";
}

// Collects the first parse error with its position.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error.empty()) {
      error = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                           message);
    }
  }
  std::string error;
};

absl::Status GridError(int index, const ModelGrid& grid,
                       absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("sweep spec: grids[", index,
                                                 "] (family \"", grid.family(),
                                                 "\"): ", message));
}

// A size is one or more positive integers separated by commas; the worker
// checks that the count fits the family.
bool ValidSize(const std::string& size) {
  for (absl::string_view part : absl::StrSplit(size, ',')) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || value <= 0) return false;
  }
  return !size.empty();
}

absl::Status ValidateGrid(int index, ModelGrid& grid) {
  const auto& families = KnownFamilies();
  if (std::find(families.begin(), families.end(), grid.family()) ==
      families.end()) {
    return GridError(index, grid,
                     absl::StrCat("unknown family; expected one of ",
                                  absl::StrJoin(families, ", ")));
  }
  if (grid.input_bytes().empty()) grid.add_input_bytes(1480);
  const bool cnn = grid.family() == "deep_cnn" || grid.family() == "shallow_cnn";
  for (int bytes : grid.input_bytes()) {
    if (bytes <= 0) return GridError(index, grid, "input_bytes must be > 0");
    // The workers' shape rule (worker/architecture.cc): 1480 is 40x37,
    // otherwise a CNN needs a k x k square.
    const int k = static_cast<int>(std::lround(std::sqrt(bytes)));
    if (cnn && bytes != 1480 && k * k != bytes) {
      return GridError(index, grid,
                       absl::StrCat("input_bytes ", bytes,
                                    ": a CNN takes 1480 (40x37) or a perfect "
                                    "square k*k"));
    }
  }
  if (grid.skip_bytes() < 0) {
    return GridError(index, grid, "skip_bytes must be >= 0");
  }
  for (const std::string& size : grid.sizes()) {
    if (!ValidSize(size)) {
      return GridError(index, grid,
                       absl::StrCat("size \"", size,
                                    "\" is not a list of positive integers "
                                    "like \"8\" or \"5,10,10\""));
    }
  }
  for (int64_t budget : grid.param_budgets()) {
    if (budget <= 0) return GridError(index, grid, "param_budgets must be > 0");
  }
  if (grid.family() == "svm_libsvm" && !grid.kernel().empty() &&
      grid.kernel() != "linear" && grid.kernel() != "rbf") {
    return GridError(index, grid, "kernel must be \"linear\" or \"rbf\"");
  }
  if (IsSvm(grid.family())) {
    // SVMs have no size, learning rate or dropout: one trial per input size.
    if (!grid.sizes().empty() || !grid.param_budgets().empty()) {
      return GridError(index, grid, "svm families take no sizes or budgets");
    }
    return absl::OkStatus();
  }
  if (grid.sizes().empty() && grid.param_budgets().empty()) {
    return GridError(index, grid, "empty grid: give sizes or param_budgets");
  }
  if (grid.learning_rates().empty()) {
    return GridError(index, grid, "empty grid: learning_rates is empty");
  }
  if (grid.dropouts().empty()) {
    return GridError(index, grid, "empty grid: dropouts is empty");
  }
  for (double lr : grid.learning_rates()) {
    if (!(lr > 0)) return GridError(index, grid, "learning rates must be > 0");
  }
  for (double dropout : grid.dropouts()) {
    if (!(dropout >= 0 && dropout < 1)) {
      return GridError(index, grid, "dropouts must be in [0, 1)");
    }
  }
  return absl::OkStatus();
}

std::string TrialId(TrialConfig config) {
  config.clear_trial_id();
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&coded);
  }
  // 16 bytes of the digest are plenty to be unique and short enough to type.
  return Sha256Hex(bytes).substr(0, 32);
}

}  // namespace

const std::vector<std::string>& KnownFamilies() {
  static const std::vector<std::string> kFamilies = {"deep_cnn", "shallow_cnn",
                                                     "deep_mlp", "shallow_mlp",
                                                     "svm",      "svm_libsvm"};
  return kFamilies;
}

absl::StatusOr<SweepSpec> ParseSweepSpec(const std::string& text,
                                         const std::string& origin) {
  SweepSpec spec;
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &spec)) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", errors.error));
  }
  return spec;
}

std::vector<std::string> PresetNames() {
  return {"quick", "paper-exp1", "paper-exp2", "paper"};
}

absl::StatusOr<SweepSpec> PresetSpec(const std::string& name) {
  std::string text;
  if (name == "quick") {
    text = kQuickPreset;
  } else if (name == "paper-exp1") {
    text = absl::StrCat("name: \"paper-exp1\"\n", kPaperExp1Grids);
  } else if (name == "paper-exp2") {
    text = absl::StrCat("name: \"paper-exp2\"\n", kPaperExp2Grids);
  } else if (name == "paper") {
    text = absl::StrCat("name: \"paper\"\n", kPaperExp1Grids, kPaperExp2Grids);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown preset \"", name, "\"; expected one of ",
                     absl::StrJoin(PresetNames(), ", ")));
  }
  return ParseSweepSpec(text, absl::StrCat("preset ", name));
}

absl::StatusOr<SweepSpec> NormalizeSweepSpec(SweepSpec spec) {
  if (spec.grids().empty()) {
    return absl::InvalidArgumentError("sweep spec: empty grid: no grids given");
  }
  if (spec.name().empty()) spec.set_name("sweep");
  if (spec.seed() == 0) spec.set_seed(42);
  if (spec.max_attempts() <= 0) spec.set_max_attempts(3);
  TrainingOptions& t = *spec.mutable_training();
  if (t.batch_size() <= 0) t.set_batch_size(32);
  if (t.max_epochs() <= 0) t.set_max_epochs(50);
  if (t.patience() <= 0) t.set_patience(5);
  if (t.l2() == 0) t.set_l2(0.01);  // negative turns the penalty off
  if (!t.device().empty() && t.device() != "cuda" && t.device() != "cpu") {
    return absl::InvalidArgumentError(
        absl::StrCat("sweep spec: training.device \"", t.device(),
                     "\"; expected \"\", \"cuda\" or \"cpu\""));
  }
  BenchOptions& b = *spec.mutable_bench();
  if (b.select().empty()) b.set_select("best");
  if (b.select() != "best" && b.select() != "all" && b.select() != "none") {
    return absl::InvalidArgumentError(
        "sweep spec: bench.select must be \"best\", \"all\" or \"none\"");
  }
  if (b.sample_packets() <= 0) b.set_sample_packets(10000);
  if (b.runs() <= 0) b.set_runs(25);
  if (b.batch_size() <= 0) b.set_batch_size(32);
  for (int i = 0; i < spec.grids_size(); ++i) {
    if (auto s = ValidateGrid(i, *spec.mutable_grids(i)); !s.ok()) return s;
  }
  return spec;
}

std::vector<TrialConfig> ExpandSweep(const SweepSpec& spec,
                                     const std::string& dataset_sha256) {
  std::vector<TrialConfig> trials;
  for (const ModelGrid& grid : spec.grids()) {
    // Sizes and budgets are both "points on the size axis".
    std::vector<std::pair<std::string, int64_t>> sizes;
    for (const std::string& size : grid.sizes()) sizes.push_back({size, 0});
    for (int64_t budget : grid.param_budgets()) sizes.push_back({"", budget});
    std::vector<double> lrs(grid.learning_rates().begin(),
                            grid.learning_rates().end());
    std::vector<double> dropouts(grid.dropouts().begin(),
                                 grid.dropouts().end());
    if (IsSvm(grid.family())) {
      sizes = {{"", 0}};
      lrs = {0};
      dropouts = {0};
    }
    for (int input : grid.input_bytes()) {
      for (const auto& [size, budget] : sizes) {
        for (double lr : lrs) {
          for (double dropout : dropouts) {
            TrialConfig t;
            t.set_dataset_sha256(dataset_sha256);
            t.set_family(grid.family());
            t.set_size(size);
            t.set_param_budget(budget);
            t.set_learning_rate(lr);
            t.set_dropout(dropout);
            t.set_input_bytes(input);
            t.set_skip_bytes(grid.skip_bytes());
            if (grid.family() == "svm_libsvm") {
              t.set_kernel(grid.kernel().empty() ? "linear" : grid.kernel());
            }
            *t.mutable_training() = spec.training();
            t.set_seed(spec.seed());
            t.set_trial_id(TrialId(t));
            trials.push_back(std::move(t));
          }
        }
      }
    }
  }
  // The same point listed twice in a spec is one trial.
  std::vector<TrialConfig> unique;
  for (TrialConfig& t : trials) {
    bool seen = std::any_of(unique.begin(), unique.end(), [&](const auto& u) {
      return u.trial_id() == t.trial_id();
    });
    if (!seen) unique.push_back(std::move(t));
  }
  return unique;
}

std::string GroupKey(const TrialConfig& t) {
  return absl::StrCat(t.family(), "|", t.size(), "|", t.param_budget(), "|",
                      t.input_bytes(), "|", t.skip_bytes(), "|", t.kernel());
}

}  // namespace pktgrid
