#include "tests/worker/tiny_dataset.h"

#include <random>

namespace pktgrid {

Dataset TinyDataset(int rows, uint32_t feature_bytes) {
  Dataset d;
  d.class_names = {"alpha", "beta", "gamma"};
  d.feature_bytes = feature_bytes;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> noise(0, 60);
  for (int i = 0; i < rows; ++i) {
    const int label = i % 3;
    for (uint32_t j = 0; j < feature_bytes; ++j) {
      // Every third byte of the class's phase is bright.
      const bool stripe = static_cast<int>(j % 3) == label;
      d.features.push_back(
          static_cast<uint8_t>(noise(rng) + (stripe ? 150 : 0)));
    }
    d.labels.push_back(static_cast<uint16_t>(label));
    const int slot = (i / 3) % 5;
    d.splits.push_back(slot < 3    ? Split::kTrain
                       : slot == 3 ? Split::kVal
                                   : Split::kTest);
    d.flow_ids.push_back(static_cast<uint32_t>(i));
  }
  return d;
}

}  // namespace pktgrid
