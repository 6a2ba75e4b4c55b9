#include "preprocess/sampler.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace pktgrid {
namespace preprocess {

uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n) {
  // Rejection sampling removes modulo bias.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % n;
}

uint64_t Fnv1a64(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void ClassSampler::Add(const std::string& class_name, SampleRow row) {
  auto it = reservoirs_.find(class_name);
  if (it == reservoirs_.end()) {
    it = reservoirs_.emplace(class_name, Reservoir(seed_ ^ Fnv1a64(class_name)))
             .first;
  }
  Reservoir& r = it->second;
  ++r.seen;
  if (cap_ == 0 || r.rows.size() < cap_) {
    r.rows.push_back(std::move(row));
    return;
  }
  // Algorithm R: the new row replaces a random kept one with p = cap/seen.
  const uint64_t j = UniformBelow(r.rng, r.seen);
  if (j < cap_) r.rows[j] = std::move(row);
}

std::map<std::string, uint64_t> ClassSampler::Counts() const {
  std::map<std::string, uint64_t> counts;
  for (const auto& [name, r] : reservoirs_) counts[name] = r.seen;
  return counts;
}

std::vector<SampleRow> ClassSampler::Take(const std::string& class_name) {
  auto it = reservoirs_.find(class_name);
  if (it == reservoirs_.end()) return {};
  std::vector<SampleRow> rows = std::move(it->second.rows);
  reservoirs_.erase(it);
  std::sort(
      rows.begin(), rows.end(),
      [](const SampleRow& a, const SampleRow& b) { return a.seq < b.seq; });
  return rows;
}

std::vector<Split> AssignSplits(const std::vector<uint32_t>& flow_ids,
                                const SplitRatios& ratios, bool by_flow,
                                uint64_t seed) {
  const size_t n = flow_ids.size();
  std::mt19937_64 rng(seed);
  const double sum = ratios.train + ratios.val + ratios.test;
  const size_t n_train =
      static_cast<size_t>(std::llround(n * ratios.train / sum));
  const size_t n_val =
      std::min(n - std::min(n, n_train),
               static_cast<size_t>(std::llround(n * ratios.val / sum)));
  std::vector<Split> splits(n, Split::kTest);

  auto shuffle = [&rng](auto& v) {
    for (size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[UniformBelow(rng, i)]);
    }
  };

  if (!by_flow) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    shuffle(order);
    for (size_t i = 0; i < n; ++i) {
      splits[order[i]] = i < n_train           ? Split::kTrain
                         : i < n_train + n_val ? Split::kVal
                                               : Split::kTest;
    }
    return splits;
  }

  // Group rows by flow, in order of first appearance (deterministic).
  absl::flat_hash_map<uint32_t, size_t> group_of;
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < n; ++i) {
    auto [it, inserted] = group_of.emplace(flow_ids[i], groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  shuffle(groups);
  size_t assigned = 0;
  for (const auto& group : groups) {
    const Split part = assigned < n_train           ? Split::kTrain
                       : assigned < n_train + n_val ? Split::kVal
                                                    : Split::kTest;
    for (size_t row : group) splits[row] = part;
    assigned += group.size();
  }
  return splits;
}

}  // namespace preprocess
}  // namespace pktgrid
