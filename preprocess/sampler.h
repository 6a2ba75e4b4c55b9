#ifndef PKTGRID_PREPROCESS_SAMPLER_H_
#define PKTGRID_PREPROCESS_SAMPLER_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/dataset_file.h"

namespace pktgrid {
namespace preprocess {

// One labelled payload packet waiting to become a dataset row.
struct SampleRow {
  std::string features;  // unpadded feature bytes
  uint32_t flow_id = 0;
  uint64_t seq = 0;  // global packet order, for a stable output order
};

// A seeded uniform sample of at most `cap` rows per class, kept with
// reservoir sampling so memory is bounded by classes x cap rows however big
// the captures are. Each class has its own generator (seed mixed with the
// class name), so one class's sample does not depend on how packets of
// other classes were interleaved. cap == 0 keeps every row.
class ClassSampler {
 public:
  ClassSampler(uint64_t cap, uint64_t seed) : cap_(cap), seed_(seed) {}

  void Add(const std::string& class_name, SampleRow row);

  // Rows offered per class (the population, not the sample).
  std::map<std::string, uint64_t> Counts() const;
  // The sample of one class, in capture order; empties the reservoir.
  std::vector<SampleRow> Take(const std::string& class_name);

 private:
  struct Reservoir {
    explicit Reservoir(uint64_t seed) : rng(seed) {}
    std::mt19937_64 rng;
    uint64_t seen = 0;
    std::vector<SampleRow> rows;
  };
  uint64_t cap_;
  uint64_t seed_;
  std::map<std::string, Reservoir> reservoirs_;
};

struct SplitRatios {
  double train = 0.64;
  double val = 0.16;
  double test = 0.20;
};

// Stratified split of one class's rows (given by their flow ids): the
// counts are round(n * train) and round(n * val), test takes the rest; rows
// are assigned through a seeded shuffle. With by_flow, whole flows are
// shuffled and handed to train until it reaches its share, then to val, then
// to test, so no flow straddles two parts (the shares then are approximate).
std::vector<Split> AssignSplits(const std::vector<uint32_t>& flow_ids,
                                const SplitRatios& ratios, bool by_flow,
                                uint64_t seed);

// Uniform integer in [0, n) from a 64-bit generator, identical on every
// platform (std::uniform_int_distribution is implementation-defined).
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n);

// 64-bit FNV-1a, to derive per-class seeds from names.
uint64_t Fnv1a64(const std::string& text);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_SAMPLER_H_
