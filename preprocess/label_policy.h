#ifndef PKTGRID_PREPROCESS_LABEL_POLICY_H_
#define PKTGRID_PREPROCESS_LABEL_POLICY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace pktgrid {
namespace preprocess {

// The paper's dropped labels: generic or unknown classes.
std::vector<std::string> DefaultDropLabels();

// Turns nDPI labels into class names: merges first ("A=B": A's packets
// count as B), then drops (matched against the merged name).
class LabelPolicy {
 public:
  // Fails on a merge spec that is not "A=B" with both sides non-empty.
  static absl::StatusOr<LabelPolicy> Create(
      const std::vector<std::string>& drop,
      const std::vector<std::string>& merges);

  // The class name for an nDPI label, or "" when the label is dropped.
  std::string Map(const std::string& ndpi_label) const;

 private:
  absl::flat_hash_set<std::string> drop_;
  absl::flat_hash_map<std::string, std::string> merge_;
};

// Which classes make the dataset: "top:N" (the N most frequent after
// dropping; ties broken by name), an explicit comma-separated list, or ""
// (every class that was not dropped).
class ClassSelection {
 public:
  static absl::StatusOr<ClassSelection> Parse(const std::string& spec);

  // True when the class may be kept before the counts are known (an
  // explicit list lets the pipeline skip other classes early).
  bool MayKeep(const std::string& name) const;

  // Picks the classes from the final per-class counts; sorted by name. An
  // explicit class with no packets is an error naming it.
  absl::StatusOr<std::vector<std::string>> Select(
      const std::map<std::string, uint64_t>& counts) const;

 private:
  uint32_t top_ = 0;                // 0: not a top:N selection
  std::vector<std::string> names_;  // explicit list, if any
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_LABEL_POLICY_H_
