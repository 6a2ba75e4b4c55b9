#include "preprocess/label_policy.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pktgrid {
namespace preprocess {

std::vector<std::string> DefaultDropLabels() {
  return {"HTTP", "SSDP", "Unknown", "TLS", "HTTP_Proxy", "DNS"};
}

absl::StatusOr<LabelPolicy> LabelPolicy::Create(
    const std::vector<std::string>& drop,
    const std::vector<std::string>& merges) {
  LabelPolicy policy;
  policy.drop_.insert(drop.begin(), drop.end());
  for (const std::string& spec : merges) {
    std::vector<std::string> parts = absl::StrSplit(spec, '=');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("label merge '", spec, "' is not of the form A=B"));
    }
    policy.merge_[parts[0]] = parts[1];
  }
  return policy;
}

std::string LabelPolicy::Map(const std::string& ndpi_label) const {
  auto it = merge_.find(ndpi_label);
  const std::string& name = it == merge_.end() ? ndpi_label : it->second;
  return drop_.contains(name) ? std::string() : name;
}

absl::StatusOr<ClassSelection> ClassSelection::Parse(const std::string& spec) {
  ClassSelection selection;
  absl::string_view rest = spec;
  if (absl::ConsumePrefix(&rest, "top:")) {
    if (!absl::SimpleAtoi(rest, &selection.top_) || selection.top_ == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("class selection '", spec, "': top:N needs N >= 1"));
    }
    return selection;
  }
  for (absl::string_view name : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    selection.names_.emplace_back(absl::StripAsciiWhitespace(name));
  }
  std::sort(selection.names_.begin(), selection.names_.end());
  selection.names_.erase(
      std::unique(selection.names_.begin(), selection.names_.end()),
      selection.names_.end());
  return selection;
}

bool ClassSelection::MayKeep(const std::string& name) const {
  return names_.empty() ||
         std::binary_search(names_.begin(), names_.end(), name);
}

absl::StatusOr<std::vector<std::string>> ClassSelection::Select(
    const std::map<std::string, uint64_t>& counts) const {
  std::vector<std::string> chosen;
  if (!names_.empty()) {
    std::string missing;
    for (const std::string& name : names_) {
      auto it = counts.find(name);
      if (it == counts.end() || it->second == 0) {
        absl::StrAppend(&missing, missing.empty() ? "" : ", ", name);
      }
    }
    if (!missing.empty()) {
      return absl::NotFoundError(
          absl::StrCat("requested classes have no packets: ", missing));
    }
    return names_;
  }
  std::vector<std::pair<uint64_t, std::string>> ranked;
  for (const auto& [name, count] : counts) {
    if (count > 0) ranked.emplace_back(count, name);
  }
  // Most frequent first; equal counts in name order, so the pick is stable.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (top_ > 0 && ranked.size() > top_) ranked.resize(top_);
  for (auto& entry : ranked) chosen.push_back(std::move(entry.second));
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace preprocess
}  // namespace pktgrid
