#include "preprocess/features.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace preprocess {

absl::StatusOr<MaskMode> ParseMaskMode(absl::string_view name) {
  if (name == "transport") return MaskMode::kTransport;
  if (name == "fixed20") return MaskMode::kFixed20;
  if (name == "none") return MaskMode::kNone;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown mask mode '", name, "' (transport, fixed20 or none)"));
}

const char* MaskModeName(MaskMode mode) {
  switch (mode) {
    case MaskMode::kTransport:
      return "transport";
    case MaskMode::kFixed20:
      return "fixed20";
    case MaskMode::kNone:
      return "none";
  }
  return "invalid";
}

std::string ExtractFeatures(const DecodedPacket& packet,
                            const FeatureOptions& options) {
  uint32_t masked = 0;
  switch (options.mask) {
    case MaskMode::kTransport:
      masked = packet.transport_header_len;
      break;
    case MaskMode::kFixed20:
      masked = 20;
      break;
    case MaskMode::kNone:
      break;
  }
  if (packet.l4_len <= options.skip) return std::string();
  const uint32_t take = std::min(packet.l4_len - options.skip, options.bytes);
  std::string row(reinterpret_cast<const char*>(packet.l4) + options.skip,
                  take);
  // Positions [skip, skip + take) of the IP payload; zero those < masked.
  if (masked > options.skip) {
    const uint32_t zero = std::min(masked - options.skip, take);
    std::fill(row.begin(), row.begin() + zero, '\0');
  }
  return row;
}

std::vector<uint8_t> PadRow(absl::string_view features, uint32_t bytes) {
  std::vector<uint8_t> row(bytes, 0);
  std::copy_n(features.begin(), std::min<size_t>(features.size(), bytes),
              row.begin());
  return row;
}

}  // namespace preprocess
}  // namespace pktgrid
