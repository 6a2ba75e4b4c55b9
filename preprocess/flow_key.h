#ifndef PKTGRID_PREPROCESS_FLOW_KEY_H_
#define PKTGRID_PREPROCESS_FLOW_KEY_H_

#include <cstdint>
#include <cstring>
#include <utility>

#include "preprocess/decode.h"

namespace pktgrid {
namespace preprocess {

// Bidirectional 5-tuple: the (address, port) endpoint that sorts lower is
// stored first, so both directions of a conversation map to one key.
struct FlowKey {
  uint8_t lo_addr[16] = {};
  uint8_t hi_addr[16] = {};
  uint16_t lo_port = 0;
  uint16_t hi_port = 0;
  uint8_t l4_proto = 0;
  uint8_t ip_version = 0;

  friend bool operator==(const FlowKey& a, const FlowKey& b) {
    return std::memcmp(a.lo_addr, b.lo_addr, 16) == 0 &&
           std::memcmp(a.hi_addr, b.hi_addr, 16) == 0 &&
           a.lo_port == b.lo_port && a.hi_port == b.hi_port &&
           a.l4_proto == b.l4_proto && a.ip_version == b.ip_version;
  }

  template <typename H>
  friend H AbslHashValue(H h, const FlowKey& k) {
    return H::combine(H::combine_contiguous(std::move(h), k.lo_addr, 32),
                      k.lo_port, k.hi_port, k.l4_proto, k.ip_version);
  }
};

// Builds the canonical key of a decoded packet. `*from_lo` tells whether the
// packet travels from the lower endpoint to the higher one.
inline FlowKey MakeFlowKey(const DecodedPacket& p, bool* from_lo) {
  FlowKey key;
  const int cmp = std::memcmp(p.src_addr, p.dst_addr, 16);
  const bool src_lo = cmp < 0 || (cmp == 0 && p.src_port <= p.dst_port);
  std::memcpy(key.lo_addr, src_lo ? p.src_addr : p.dst_addr, 16);
  std::memcpy(key.hi_addr, src_lo ? p.dst_addr : p.src_addr, 16);
  key.lo_port = src_lo ? p.src_port : p.dst_port;
  key.hi_port = src_lo ? p.dst_port : p.src_port;
  key.l4_proto = p.l4_proto;
  key.ip_version = p.ip_version;
  *from_lo = src_lo;
  return key;
}

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_FLOW_KEY_H_
