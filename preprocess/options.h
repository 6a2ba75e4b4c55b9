#ifndef PKTGRID_PREPROCESS_OPTIONS_H_
#define PKTGRID_PREPROCESS_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/features.h"
#include "preprocess/label_policy.h"
#include "preprocess/sampler.h"

namespace pktgrid {
namespace preprocess {

// Everything `pktgrid preprocess` can set. The defaults reproduce the paper's
// pipeline (see /work/shared/paper/original-implementation-facts.md), except
// masking, which defaults to the paper's words rather than its code.
struct PreprocessOptions {
  // Row width 1480, mask "transport", skip 0.
  FeatureOptions features;
  // At most this many payload packets from one flow (the first ones).
  uint32_t max_per_flow = 10001;

  // Flows end after this long without a packet, or this long after they
  // began, or on TCP RST, or once both sides sent a FIN.
  double idle_timeout_s = 1800;
  double max_duration_s = 1800;

  // Flows whose label nDPI only guessed when giving up (by port or IP) are
  // left out instead of counted under the guess.
  bool exclude_guessed = false;
  // Keep the outer view of UDP tunnels (GTP-U, VXLAN, CAPWAP, TZSP): the
  // tunnel packets themselves are the flows. Default: decapsulate.
  bool tunnel_outer_view = false;

  // nDPI labels removed before class selection (merges are applied first).
  std::vector<std::string> drop_labels = DefaultDropLabels();
  // "A=B": nDPI label A is counted as class B.
  std::vector<std::string> merges;
  // "" = every remaining class, "top:N", or "YouTube,Facebook,...".
  std::string classes;

  // Packets sampled per class (0 = all). A class with fewer is an error
  // listing every class's count, unless take_available takes what there is.
  uint64_t per_class = 10000;
  bool take_available = false;
  uint64_t seed = 42;
  SplitRatios ratios;  // 0.64 / 0.16 / 0.20
  // Keep all packets of a flow in one part (no flow leaks across splits).
  bool split_by_flow = false;

  // Side outputs next to the dataset file.
  bool write_manifest = true;  // <out>.manifest.json
  bool export_csv = false;     // train.csv, val.csv, test.csv (label,byte1..N)
  // Per-file progress on stderr, only when stderr is a terminal.
  bool progress = true;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_OPTIONS_H_
