#include "worker/architecture.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pktgrid {
namespace {

// Widths beyond this are typos, and would overflow the counts below.
constexpr int kMaxWidth = 1 << 20;

struct FamilyNameEntry {
  Family family;
  const char* name;
};
constexpr FamilyNameEntry kFamilyNames[] = {
    {Family::kDeepCnn, "deep_cnn"}, {Family::kShallowCnn, "shallow_cnn"},
    {Family::kDeepMlp, "deep_mlp"}, {Family::kShallowMlp, "shallow_mlp"},
    {Family::kSvm, "svm"},          {Family::kSvmLibsvm, "svm_libsvm"},
};

int64_t Dense(int64_t in, int64_t out) { return in * out + out; }
// 3x3 convolution with bias.
int64_t Conv(int64_t in, int64_t out) { return 9 * in * out + out; }

// Spatial size after `pools` 2x2 valid max-poolings (floor, like Keras).
int64_t Pooled(const InputShape& input, int pools) {
  int64_t h = input.height, w = input.width;
  for (int i = 0; i < pools; ++i) {
    h /= 2;
    w /= 2;
  }
  return h * w;
}

absl::Status CheckPoolable(const InputShape& input, int pools) {
  if (Pooled(input, pools) > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("input ", input.height, "x", input.width,
                   " is too small to max-pool ", pools, " time(s)"));
}

// Deep MLP shapes of the paper, used for budget ratios and PaperSizes.
const std::vector<std::vector<int>>& PaperDeepMlp() {
  static const auto* shapes = new std::vector<std::vector<int>>{
      {1, 1, 1},      {5, 10, 10},     {20, 50, 50},
      {70, 100, 100}, {200, 350, 350}, {450, 900, 900}};
  return *shapes;
}

// Widths of the budget candidate with first (or only) width `a`.
std::vector<int> CandidateWidths(Family family, int a,
                                 const std::vector<int>& ratio_shape) {
  switch (family) {
    case Family::kShallowCnn:
      return {a, ShallowCnnDense(a)};
    case Family::kDeepMlp: {
      std::vector<int> widths;
      for (int w : ratio_shape) {
        const double scaled = static_cast<double>(a) * w / ratio_shape[0];
        widths.push_back(std::max(1, static_cast<int>(std::lround(scaled))));
      }
      return widths;
    }
    default:
      return {a};
  }
}

}  // namespace

absl::StatusOr<Family> ParseFamily(const std::string& name) {
  for (const auto& entry : kFamilyNames) {
    if (name == entry.name) return entry.family;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown model family \"", name,
      "\" (expected deep_cnn, shallow_cnn, deep_mlp, shallow_mlp, svm or "
      "svm_libsvm)"));
}

std::string FamilyName(Family family) {
  for (const auto& entry : kFamilyNames) {
    if (family == entry.family) return entry.name;
  }
  return "unknown";
}

bool IsCnn(Family f) {
  return f == Family::kDeepCnn || f == Family::kShallowCnn;
}
bool IsMlp(Family f) {
  return f == Family::kDeepMlp || f == Family::kShallowMlp;
}
bool IsSvm(Family f) { return f == Family::kSvm || f == Family::kSvmLibsvm; }

absl::StatusOr<InputShape> ResolveInputShape(Family family, int input_bytes) {
  if (input_bytes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("input_bytes must be positive, got ", input_bytes));
  }
  if (!IsCnn(family)) return InputShape{input_bytes, 1, input_bytes};
  if (input_bytes == 1480) return InputShape{1480, 40, 37};
  const int k = static_cast<int>(std::lround(std::sqrt(input_bytes)));
  if (k * k == input_bytes) return InputShape{input_bytes, k, k};
  return absl::InvalidArgumentError(absl::StrCat(
      "a CNN needs 1480 input bytes (40x37) or a perfect square k*k (k x k); "
      "got ",
      input_bytes));
}

std::string Architecture::SizeString() const {
  return absl::StrJoin(widths, ",");
}

int ShallowCnnDense(int filters) {
  // f/3 is never exactly x.5, so Python's banker's rounding and lround agree.
  return std::max(static_cast<int>(std::lround(filters / 3.0)), 2);
}

absl::StatusOr<std::vector<int>> ParseSize(Family family,
                                           const std::string& size) {
  std::vector<int> widths;
  const std::string trimmed(absl::StripAsciiWhitespace(size));
  if (!trimmed.empty()) {
    for (absl::string_view part : absl::StrSplit(trimmed, ',')) {
      int value = 0;
      if (!absl::SimpleAtoi(part, &value) || value < 1 || value > kMaxWidth) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad size \"", size, "\" for ", FamilyName(family),
                         ": widths must be integers in [1, ", kMaxWidth, "]"));
      }
      widths.push_back(value);
    }
  }
  auto wrong = [&](const char* expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad size \"", size, "\" for ", FamilyName(family),
                     ": expected ", expected));
  };
  switch (family) {
    case Family::kDeepCnn:
      if (widths.size() != 1) return wrong("the filter count, e.g. \"8\"");
      break;
    case Family::kShallowCnn:
      if (widths.size() == 1) widths.push_back(ShallowCnnDense(widths[0]));
      if (widths.size() != 2) {
        return wrong("filters[,dense], e.g. \"8\" or \"8,3\"");
      }
      break;
    case Family::kShallowMlp:
      if (widths.size() != 1) return wrong("the hidden width, e.g. \"81\"");
      break;
    case Family::kDeepMlp:
      if (widths.empty()) return wrong("hidden widths, e.g. \"5,10,10\"");
      break;
    case Family::kSvm:
    case Family::kSvmLibsvm:
      if (!widths.empty()) return wrong("no size (\"\")");
      break;
  }
  return widths;
}

absl::StatusOr<int64_t> ParamCount(Family family,
                                   const std::vector<int>& widths,
                                   const InputShape& input, int classes) {
  if (classes < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("need at least 2 classes, got ", classes));
  }
  const int64_t c = classes;
  switch (family) {
    case Family::kDeepCnn: {
      if (widths.size() != 1) break;
      if (absl::Status s = CheckPoolable(input, 2); !s.ok()) return s;
      const int64_t f = widths[0];
      return Conv(1, f) + 3 * Conv(f, f) + Dense(Pooled(input, 2) * f, f) +
             Dense(f, c);
    }
    case Family::kShallowCnn: {
      if (widths.size() != 2) break;
      if (absl::Status s = CheckPoolable(input, 1); !s.ok()) return s;
      const int64_t f = widths[0], d = widths[1];
      return Conv(1, f) + Dense(Pooled(input, 1) * f, d) + Dense(d, c);
    }
    case Family::kShallowMlp:
    case Family::kDeepMlp: {
      if (widths.empty()) break;
      int64_t total = 0, in = input.bytes;
      for (int w : widths) {
        total += Dense(in, w);
        in = w;
      }
      return total + Dense(in, c);
    }
    case Family::kSvm:
      // One weight vector plus bias per class (one-vs-rest); liblinear and
      // scikit-learn keep a single vector for two classes.
      return (classes == 2 ? 1 : c) * (input.bytes + 1);
    case Family::kSvmLibsvm:
      return 0;  // support vectors: known after training
  }
  return absl::InvalidArgumentError(
      absl::StrCat("wrong number of widths for ", FamilyName(family)));
}

absl::StatusOr<Architecture> ResolveSize(Family family, const std::string& size,
                                         int input_bytes, int classes) {
  Architecture arch;
  arch.family = family;
  arch.classes = classes;
  auto widths = ParseSize(family, size);
  if (!widths.ok()) return widths.status();
  arch.widths = *std::move(widths);
  auto input = ResolveInputShape(family, input_bytes);
  if (!input.ok()) return input.status();
  arch.input = *input;
  auto count = ParamCount(family, arch.widths, arch.input, classes);
  if (!count.ok()) return count.status();
  arch.param_count = *count;
  return arch;
}

absl::StatusOr<Architecture> ResolveBudget(Family family, int64_t budget,
                                           int input_bytes, int classes) {
  if (budget <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("param_budget must be positive, got ", budget));
  }
  if (IsSvm(family)) {
    return absl::InvalidArgumentError(absl::StrCat(
        FamilyName(family), " has a fixed size; it takes no param_budget"));
  }
  auto input = ResolveInputShape(family, input_bytes);
  if (!input.ok()) return input.status();

  std::vector<int> ratio_shape = {1};
  if (family == Family::kDeepMlp) {
    double best_gap = std::numeric_limits<double>::infinity();
    for (const auto& shape : PaperDeepMlp()) {
      auto count = ParamCount(family, shape, *input, classes);
      if (!count.ok()) return count.status();
      const double gap = std::fabs(std::log(static_cast<double>(*count)) -
                                   std::log(static_cast<double>(budget)));
      if (gap < best_gap) {
        best_gap = gap;
        ratio_shape = shape;
      }
    }
  }

  // Counts grow with the width, so the scan stops at the first count above
  // the budget: nothing wider can be closer.
  Architecture best;
  int64_t best_gap = std::numeric_limits<int64_t>::max();
  for (int a = 1; a <= kMaxWidth; ++a) {
    const std::vector<int> widths = CandidateWidths(family, a, ratio_shape);
    auto count = ParamCount(family, widths, *input, classes);
    if (!count.ok()) return count.status();
    const int64_t gap = std::llabs(*count - budget);
    if (gap < best_gap) {
      best_gap = gap;
      best.family = family;
      best.widths = widths;
      best.input = *input;
      best.classes = classes;
      best.param_count = *count;
    }
    if (*count >= budget) break;
  }
  return best;
}

absl::StatusOr<Architecture> ResolveArchitecture(const std::string& family,
                                                 const std::string& size,
                                                 int64_t budget,
                                                 int input_bytes, int classes) {
  auto parsed = ParseFamily(family);
  if (!parsed.ok()) return parsed.status();
  if (size.empty() && budget > 0) {
    return ResolveBudget(*parsed, budget, input_bytes, classes);
  }
  return ResolveSize(*parsed, size, input_bytes, classes);
}

std::vector<std::string> PaperSizes(Family family) {
  switch (family) {
    case Family::kDeepCnn:
    case Family::kShallowCnn:
      return {"4", "8", "16", "32", "64", "128"};
    case Family::kShallowMlp:
      return {"1", "5", "20", "81", "322", "1288"};
    case Family::kDeepMlp: {
      std::vector<std::string> sizes;
      for (const auto& shape : PaperDeepMlp()) {
        sizes.push_back(absl::StrJoin(shape, ","));
      }
      return sizes;
    }
    case Family::kSvm:
    case Family::kSvmLibsvm:
      return {""};
  }
  return {};
}

}  // namespace pktgrid
