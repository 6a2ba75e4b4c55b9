#ifndef PKTGRID_PREPROCESS_SYNTH_APPS_H_
#define PKTGRID_PREPROCESS_SYNTH_APPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace pktgrid {
namespace preprocess {

// splitmix64: tiny, fast and identical on every platform (the standard
// distributions are not), so a seed always gives the same capture.
class SynthRng {
 public:
  explicit SynthRng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (tiny modulo bias is irrelevant here).
  uint32_t Range(uint32_t lo, uint32_t hi) {
    return lo + static_cast<uint32_t>(Next() % (hi - lo + 1));
  }
  uint8_t Byte() { return static_cast<uint8_t>(Next()); }

 private:
  uint64_t state_;
};

// One synthetic application: how its flows open (the messages nDPI
// classifies) and what its data packets look like (each app has its own
// sizes and byte statistics, so a model can learn more than the handshake).
struct SynthApp {
  const char* name;            // option name, e.g. "youtube"
  const char* expected_label;  // nDPI 4.2's label for these flows
  bool udp;
  uint16_t server_port;
  uint32_t server_ip;  // documentation ranges: no nDPI IP-list match
  std::string (*client_open)(SynthRng& rng);
  std::string (*server_open)(SynthRng& rng);
  // Data packet `index` of a flow; `key` is per-flow state (recurring bytes).
  std::string (*data)(SynthRng& rng, bool from_server, uint32_t index,
                      const std::string& key);
  uint32_t server_share_pct;  // share of data packets sent by the server
};

// Every app the generator knows, in a fixed order.
absl::Span<const SynthApp> SynthApps();

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_SYNTH_APPS_H_
