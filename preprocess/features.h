#ifndef PKTGRID_PREPROCESS_FEATURES_H_
#define PKTGRID_PREPROCESS_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "preprocess/decode.h"

namespace pktgrid {
namespace preprocess {

// Which leading bytes of the IP payload are zeroed so a model cannot learn
// ports, sequence numbers or checksums.
enum class MaskMode {
  kTransport,  // exactly the TCP header (data offset) or the 8-byte UDP header
  kFixed20,    // the first 20 bytes whatever the transport (the paper's code)
  kNone,
};

absl::StatusOr<MaskMode> ParseMaskMode(absl::string_view name);
const char* MaskModeName(MaskMode mode);

struct FeatureOptions {
  uint32_t bytes = 1480;  // row width; longer payloads are truncated
  MaskMode mask = MaskMode::kTransport;
  // Drop the first `skip` bytes of the IP payload before taking `bytes`.
  // Masking is applied first, on IP payload positions.
  uint32_t skip = 0;
};

// The feature bytes of one packet: its IP payload (transport header +
// application payload, never link trailer padding), masked, with `skip`
// bytes dropped, truncated to `bytes`. Returned unpadded (the rest of the
// row is zeros); PadRow() gives the full row.
std::string ExtractFeatures(const DecodedPacket& packet,
                            const FeatureOptions& options);

// Zero-pads (or truncates) to exactly `bytes`.
std::vector<uint8_t> PadRow(absl::string_view features, uint32_t bytes);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_FEATURES_H_
