#ifndef PKTGRID_WORKER_ARCHITECTURE_H_
#define PKTGRID_WORKER_ARCHITECTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pktgrid {

// The model families of the paper plus libsvm as an alternative SVM backend.
// Torch-free on purpose: the coordinator and CLI expand grids with it.
enum class Family {
  kDeepCnn,
  kShallowCnn,
  kDeepMlp,
  kShallowMlp,
  kSvm,        // liblinear one-vs-rest linear SVM (the paper's LinearSVC)
  kSvmLibsvm,  // libsvm C-SVC, linear or rbf kernel
};

absl::StatusOr<Family> ParseFamily(const std::string& name);
std::string FamilyName(Family family);
bool IsCnn(Family family);
bool IsMlp(Family family);
bool IsSvm(Family family);

// The shape a model consumes: the input bytes, viewed as height x width for
// CNNs (flat models use height = 1, width = bytes).
struct InputShape {
  int bytes = 0;
  int height = 0;
  int width = 0;
};

// 1480 bytes -> 40x37 (the paper), k*k -> k x k (experiment 2); any other
// size is an error for CNNs. MLPs and SVMs always take the flat vector.
absl::StatusOr<InputShape> ResolveInputShape(Family family, int input_bytes);

// A fully specified model: family, widths and the exact parameter count for
// a given input shape and class count.
struct Architecture {
  Family family = Family::kDeepCnn;
  // CNNs: {filters} (deep) or {filters, dense} (shallow).
  // MLPs: hidden layer widths. SVMs: empty.
  std::vector<int> widths;
  InputShape input;
  int classes = 0;
  // Exact trainable parameter count. For svm_libsvm it is only known after
  // training (support vectors), so it is 0 here and the trainer fills it.
  int64_t param_count = 0;

  // Canonical size string ("8", "8,3", "5,10,10", "" for SVMs); parsing it
  // back gives the same architecture.
  std::string SizeString() const;
};

// Shallow CNN dense width when only the filter count is given: the paper's
// d = max(round(f / 3), 2).
int ShallowCnnDense(int filters);

// Parses a family-specific size string: "8" (CNN filters / shallow MLP
// hidden), "8" or "8,3" (shallow CNN filters[,dense]), "5,10,10" (deep MLP
// hidden widths), "" (SVMs).
absl::StatusOr<std::vector<int>> ParseSize(Family family,
                                           const std::string& size);

// Parameter count of a family with the given widths; errors when the input
// shape does not suit the family (e.g. too small to pool twice).
absl::StatusOr<int64_t> ParamCount(Family family,
                                   const std::vector<int>& widths,
                                   const InputShape& input, int classes);

// Builds an architecture from a size string.
absl::StatusOr<Architecture> ResolveSize(Family family, const std::string& size,
                                         int input_bytes, int classes);

// Picks the width whose parameter count is closest to `budget` (ties go to
// the smaller model). CNNs and the shallow MLP scan their single width (the
// shallow CNN keeps d = max(round(f/3), 2)). The deep MLP keeps the layer
// ratios of the paper shape whose count is nearest the budget (in log
// scale): its first width a is scanned and the others are
// max(1, round(a * paper_width_i / paper_a)).
absl::StatusOr<Architecture> ResolveBudget(Family family, int64_t budget,
                                           int input_bytes, int classes);

// Size string or budget, as a TrialConfig carries them (size wins if both).
absl::StatusOr<Architecture> ResolveArchitecture(const std::string& family,
                                                 const std::string& size,
                                                 int64_t budget,
                                                 int input_bytes, int classes);

// The paper's six sizes of a family, as size strings; the SVMs have the
// single size "".
std::vector<std::string> PaperSizes(Family family);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_ARCHITECTURE_H_
