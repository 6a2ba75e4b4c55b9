#ifndef PKTGRID_PREPROCESS_DECODE_INTERNAL_H_
#define PKTGRID_PREPROCESS_DECODE_INTERNAL_H_

// Shared between decode_link.cc and decode_ip.cc: tunnels lead from the IP
// layer back to a link layer (VXLAN, TZSP, CAPWAP carry whole frames).

#include <cstddef>
#include <cstdint>

#include "preprocess/decode.h"

namespace pktgrid {
namespace preprocess {
namespace internal {

// Tunnels nest rarely more than once; the bound stops crafted loops.
inline constexpr int kMaxTunnelNesting = 3;

struct DecodeContext {
  DecodeOptions options;
  int depth = 0;  // tunnels entered so far
};

DecodeOutcome DecodeIpAt(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         DecodeContext* ctx);
DecodeOutcome DecodeEthernetAt(const uint8_t* p, size_t len, DecodedPacket* out,
                               DecodeContext* ctx);
// From an Ethernet type (IPv4, IPv6, PPPoE, MPLS) at `p`.
DecodeOutcome DecodeEtherTypeAt(uint16_t type, const uint8_t* p, size_t len,
                                DecodedPacket* out, DecodeContext* ctx);

inline uint16_t Be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

}  // namespace internal
}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_DECODE_INTERNAL_H_
