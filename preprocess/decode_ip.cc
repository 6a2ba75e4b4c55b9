// IP and transport decoding: IPv4 (with options and fragments), IPv6 (walking
// extension headers), IP-in-IP and UDP tunnel unwrapping (GTP-U, VXLAN,
// CAPWAP, TZSP), then TCP or UDP.

#include <algorithm>
#include <cstring>

#include "preprocess/decode.h"
#include "preprocess/decode_internal.h"

namespace pktgrid {
namespace preprocess {
namespace {

using internal::Be16;
using internal::DecodeContext;

constexpr uint8_t kProtoIpIp = 4;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIpv6 = 41;

constexpr uint16_t kGtpUserPort = 2152;
constexpr uint16_t kVxlanPort = 4789;
constexpr uint16_t kCapwapDataPort = 5247;
constexpr uint16_t kTzspPort = 37008;

// Enters a tunnel: records the outermost one and bounds the nesting.
bool EnterTunnel(Tunnel tunnel, DecodedPacket* out, DecodeContext* ctx) {
  if (ctx->depth >= internal::kMaxTunnelNesting) return false;
  ++ctx->depth;
  if (out->tunnel == Tunnel::kNone) out->tunnel = tunnel;
  return true;
}

// GTPv1-U (mobile core tunnels): returns the offset of the tunnelled IP
// packet inside the UDP payload, or 0 when this is not a G-PDU carrying IP.
// ndpiReader unwraps these too, so flows are labelled by what is inside.
uint32_t GtpInnerOffset(const uint8_t* p, uint32_t len) {
  if (len < 8 || (p[0] >> 5) != 1 || !(p[0] & 0x10) || p[1] != 0xff) {
    return 0;
  }
  uint32_t offset = 8;
  if (p[0] & 0x07) {  // sequence number, N-PDU or extension header present
    if (len < 12) return 0;
    offset = 12;
    uint8_t next = (p[0] & 0x04) ? p[11] : 0;
    while (next != 0) {  // extension headers, 4-byte units
      if (offset >= len || p[offset] == 0) return 0;
      const uint32_t ext_len = p[offset] * 4u;
      if (offset + ext_len > len) return 0;
      next = p[offset + ext_len - 1];
      offset += ext_len;
    }
  }
  if (offset >= len) return 0;
  const uint8_t version = p[offset] >> 4;
  return version == 4 || version == 6 ? offset : 0;
}

// VXLAN (RFC 7348): 8-byte header with the I flag (valid VNI), then an
// Ethernet frame. Returns false when this is not VXLAN.
bool IsVxlan(const uint8_t* p, uint32_t len) {
  return len >= 8 + 14 && (p[0] & 0x08) != 0;
}

// TZSP: version 1, type 0 (received frame), encapsulation 1 (Ethernet),
// then tagged fields up to the END tag (1). Returns the offset of the
// Ethernet frame, or 0 when this is not a TZSP frame carrying Ethernet.
uint32_t TzspInnerOffset(const uint8_t* p, uint32_t len) {
  if (len < 5 || p[0] != 1 || p[1] != 0 || Be16(p + 2) != 1) return 0;
  uint32_t offset = 4;
  while (offset < len) {
    const uint8_t tag = p[offset];
    if (tag == 1) return offset + 1 < len ? offset + 1 : 0;  // END
    if (tag == 0) {                                          // PADDING
      ++offset;
      continue;
    }
    if (offset + 1 >= len) return 0;
    offset += 2u + p[offset + 1];
  }
  return 0;
}

// CAPWAP data channel (RFC 5415): the header (HLEN in 4-byte words) is
// followed by an IEEE 802.11 frame when the T flag is set with wireless
// binding 1, else by an 802.3 (Ethernet) frame. For 802.11 only data frames
// carrying LLC/SNAP are looked into. Cisco controllers send the 802.11
// frame control field byte-swapped (Wireshark's "swap frame control"), so
// either order is accepted. Returns how the inner frame starts:
// 0 = not CAPWAP data, 1 = Ethernet at *inner, 2 = IP (of Ethernet type
// *type) at *inner, 3 = an 802.11 frame without IP (management, control,
// null data: set aside as not IP, as ndpiReader does).
int CapwapInner(const uint8_t* p, uint32_t len, uint32_t* inner,
                uint16_t* type) {
  if (len < 8 || p[0] != 0) return 0;  // version 0, type 0
  const uint32_t hlen = (p[1] >> 3) * 4u;
  if (hlen < 8 || hlen >= len) return 0;
  const bool native = (p[2] & 0x01) != 0;  // T: native frame format
  const uint8_t wbid = (p[2] >> 1) & 0x1f;
  if (!native) {
    *inner = hlen;
    return 1;
  }
  if (wbid != 1) return 0;
  const uint8_t* f = p + hlen;
  const uint32_t flen = len - hlen;
  if (flen < 24) return 3;
  // Frame control: type/subtype byte, then flags.
  uint8_t fc_type = f[0], fc_flags = f[1];
  if ((fc_type & 0x0c) != 0x08) {  // not a data frame: maybe swapped
    if ((f[1] & 0x0c) != 0x08) return 3;
    fc_type = f[1];
    fc_flags = f[0];
  }
  if (fc_type & 0x40) return 3;  // null-function subtypes carry no data
  uint32_t header = 24;
  if ((fc_flags & 0x03) == 0x03) header += 6;  // ToDS and FromDS: 4 addresses
  if (fc_type & 0x80) {
    header += 2;                       // QoS data: QoS control
    if (fc_flags & 0x80) header += 4;  // +HTC (order bit)
  }
  if (header + 8 > flen) return 3;
  const uint8_t* llc = f + header;
  if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) return 3;
  *type = Be16(llc + 6);
  *inner = hlen + header + 8;
  return 2;
}

// Looks into a UDP tunnel whose payload is `p` (`len` bytes captured).
// Returns true and sets *outcome when the packet was a tunnel it entered.
bool UnwrapUdpTunnel(uint16_t src_port, uint16_t dst_port, const uint8_t* p,
                     uint32_t len, DecodedPacket* out, DecodeContext* ctx,
                     DecodeOutcome* outcome) {
  auto either = [&](uint16_t port) {
    return src_port == port || dst_port == port;
  };
  if (either(kGtpUserPort)) {
    const uint32_t inner = GtpInnerOffset(p, len);
    if (inner == 0 || !EnterTunnel(Tunnel::kGtpU, out, ctx)) return false;
    *outcome = internal::DecodeIpAt(p + inner, len - inner, out, ctx);
    return true;
  }
  if (either(kVxlanPort)) {
    if (!IsVxlan(p, len) || !EnterTunnel(Tunnel::kVxlan, out, ctx)) {
      return false;
    }
    *outcome = internal::DecodeEthernetAt(p + 8, len - 8, out, ctx);
    return true;
  }
  if (either(kTzspPort)) {
    const uint32_t inner = TzspInnerOffset(p, len);
    if (inner == 0 || !EnterTunnel(Tunnel::kTzsp, out, ctx)) return false;
    *outcome = internal::DecodeEthernetAt(p + inner, len - inner, out, ctx);
    return true;
  }
  if (either(kCapwapDataPort)) {
    uint32_t inner = 0;
    uint16_t type = 0;
    const int kind = CapwapInner(p, len, &inner, &type);
    if (kind == 0 || !EnterTunnel(Tunnel::kCapwap, out, ctx)) return false;
    if (kind == 1) {
      *outcome = internal::DecodeEthernetAt(p + inner, len - inner, out, ctx);
    } else if (kind == 2) {
      *outcome =
          internal::DecodeEtherTypeAt(type, p + inner, len - inner, out, ctx);
    } else {
      *outcome = DecodeOutcome::kNotIp;
    }
    return true;
  }
  return false;
}

// TCP or UDP header at `l4` (length `l4_len` within the IP packet,
// `captured` of which are in the frame).
DecodeOutcome DecodeTransport(uint8_t proto, const uint8_t* l4, uint32_t l4_len,
                              uint32_t captured, DecodedPacket* out,
                              DecodeContext* ctx) {
  out->l4 = l4;
  out->l4_len = std::min(l4_len, captured);
  out->l4_proto = proto;
  if (proto == kProtoTcp) {
    if (captured < 20 || l4_len < 20) {
      return DecodeOutcome::kTruncatedTransportHeader;
    }
    const uint32_t header_len = (l4[12] >> 4) * 4u;
    if (header_len < 20 || header_len > l4_len) {
      return DecodeOutcome::kBadTransportHeader;
    }
    if (header_len > captured) return DecodeOutcome::kTruncatedTransportHeader;
    out->transport_header_len = header_len;
    out->payload_len = l4_len - header_len;
    out->tcp_flags = l4[13];
  } else if (proto == kProtoUdp) {
    if (captured < 8 || l4_len < 8) {
      return DecodeOutcome::kTruncatedTransportHeader;
    }
    out->transport_header_len = 8;
    // The IP length is authoritative (a first fragment's UDP length covers
    // the whole datagram); a smaller UDP length means trailing junk.
    uint32_t udp_len = Be16(l4 + 4);
    if (udp_len < 8 && !out->first_fragment) {
      return DecodeOutcome::kBadTransportHeader;
    }
    uint32_t len = l4_len;
    if (!out->first_fragment && udp_len < len) len = udp_len;
    out->payload_len = len - 8;
    out->l4_len = std::min(len, out->l4_len);
    out->tcp_flags = 0;
  } else {
    return DecodeOutcome::kNotTcpUdp;
  }
  out->src_port = Be16(l4);
  out->dst_port = Be16(l4 + 2);
  if (proto == kProtoUdp && !out->first_fragment &&
      ctx->options.unwrap_udp_tunnels) {
    DecodeOutcome inner = DecodeOutcome::kOk;
    if (UnwrapUdpTunnel(out->src_port, out->dst_port, l4 + 8, out->l4_len - 8,
                        out, ctx, &inner)) {
      return inner;
    }
  }
  return DecodeOutcome::kOk;
}

DecodeOutcome DecodeIpv4(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         DecodeContext* ctx) {
  if (caplen < 20) return DecodeOutcome::kTruncatedIpHeader;
  const uint32_t header_len = (ip[0] & 0x0f) * 4u;
  if (header_len < 20) return DecodeOutcome::kBadIpHeader;
  if (header_len > caplen) return DecodeOutcome::kTruncatedIpHeader;
  uint32_t total_len = Be16(ip + 2);
  // Segmentation offload writes 0 here; then only the capture tells.
  if (total_len == 0) total_len = static_cast<uint32_t>(caplen);
  if (total_len < header_len) return DecodeOutcome::kBadIpHeader;
  const uint16_t frag = Be16(ip + 6);
  if ((frag & 0x1fff) != 0) return DecodeOutcome::kLaterFragment;
  out->first_fragment = (frag & 0x2000) != 0;
  out->ip_version = 4;
  out->l3 = ip;
  out->l3_len = static_cast<uint32_t>(std::min<size_t>(total_len, caplen));
  std::memset(out->src_addr, 0, sizeof(out->src_addr));
  std::memset(out->dst_addr, 0, sizeof(out->dst_addr));
  std::memcpy(out->src_addr, ip + 12, 4);
  std::memcpy(out->dst_addr, ip + 16, 4);
  const uint8_t proto = ip[9];
  const uint32_t captured = out->l3_len - header_len;
  if ((proto == kProtoIpIp || proto == kProtoIpv6) && !out->first_fragment) {
    if (!EnterTunnel(Tunnel::kIpInIp, out, ctx)) {
      return DecodeOutcome::kNotTcpUdp;
    }
    return internal::DecodeIpAt(ip + header_len, captured, out, ctx);
  }
  return DecodeTransport(proto, ip + header_len, total_len - header_len,
                         captured, out, ctx);
}

DecodeOutcome DecodeIpv6(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         DecodeContext* ctx) {
  if (caplen < 40) return DecodeOutcome::kTruncatedIpHeader;
  uint32_t total_len = 40u + Be16(ip + 4);
  // Payload length 0 means a jumbogram or offload: trust the capture.
  if (total_len == 40) total_len = static_cast<uint32_t>(caplen);
  out->ip_version = 6;
  out->l3 = ip;
  out->l3_len = static_cast<uint32_t>(std::min<size_t>(total_len, caplen));
  out->first_fragment = false;
  std::memcpy(out->src_addr, ip + 8, 16);
  std::memcpy(out->dst_addr, ip + 24, 16);
  uint8_t next = ip[6];
  uint32_t offset = 40;
  // Walk the extension header chain to the transport header.
  for (;;) {
    switch (next) {
      case 0:      // hop-by-hop options
      case 43:     // routing
      case 60:     // destination options
      case 135:    // mobility
      case 139:    // HIP
      case 140: {  // shim6
        if (offset + 8 > out->l3_len) {
          return DecodeOutcome::kTruncatedIpHeader;
        }
        const uint8_t* ext = ip + offset;
        next = ext[0];
        offset += (ext[1] + 1u) * 8u;
        break;
      }
      case 44: {  // fragment
        if (offset + 8 > out->l3_len) {
          return DecodeOutcome::kTruncatedIpHeader;
        }
        const uint8_t* ext = ip + offset;
        if ((Be16(ext + 2) & 0xfff8) != 0) {
          return DecodeOutcome::kLaterFragment;
        }
        out->first_fragment = (ext[3] & 1) != 0;
        next = ext[0];
        offset += 8;
        break;
      }
      case 51: {  // authentication header: length in 4-byte units, minus 2
        if (offset + 8 > out->l3_len) {
          return DecodeOutcome::kTruncatedIpHeader;
        }
        const uint8_t* ext = ip + offset;
        next = ext[0];
        offset += (ext[1] + 2u) * 4u;
        break;
      }
      default: {
        if (offset > total_len) return DecodeOutcome::kBadIpHeader;
        if (offset > out->l3_len) return DecodeOutcome::kTruncatedIpHeader;
        const uint32_t captured = out->l3_len - offset;
        if ((next == kProtoIpIp || next == kProtoIpv6) &&
            !out->first_fragment) {
          if (!EnterTunnel(Tunnel::kIpInIp, out, ctx)) {
            return DecodeOutcome::kNotTcpUdp;
          }
          return internal::DecodeIpAt(ip + offset, captured, out, ctx);
        }
        return DecodeTransport(next, ip + offset, total_len - offset, captured,
                               out, ctx);
      }
    }
  }
}

}  // namespace

namespace internal {

DecodeOutcome DecodeIpAt(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         DecodeContext* ctx) {
  if (caplen < 1) return DecodeOutcome::kTruncatedIpHeader;
  switch (ip[0] >> 4) {
    case 4:
      return DecodeIpv4(ip, caplen, out, ctx);
    case 6:
      return DecodeIpv6(ip, caplen, out, ctx);
    default:
      return DecodeOutcome::kBadIpHeader;
  }
}

}  // namespace internal

DecodeOutcome DecodeIp(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                       const DecodeOptions& options) {
  DecodeContext ctx{options, 0};
  out->tunnel = Tunnel::kNone;
  return internal::DecodeIpAt(ip, caplen, out, &ctx);
}

}  // namespace preprocess
}  // namespace pktgrid
