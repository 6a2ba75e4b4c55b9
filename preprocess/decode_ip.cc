// IP and transport decoding: IPv4 (with options and fragments), IPv6 (walking
// extension headers), IP-in-IP and GTP-U unwrapping, then TCP or UDP.

#include <algorithm>
#include <cstring>

#include "preprocess/decode.h"

namespace pktgrid {
namespace preprocess {
namespace {

constexpr uint8_t kProtoIpIp = 4;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIpv6 = 41;
// Tunnels nest rarely more than once; the bound stops crafted loops.
constexpr int kMaxIpNesting = 3;

constexpr uint16_t kGtpUserPort = 2152;

uint16_t Be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

DecodeOutcome DecodeIpNested(const uint8_t* ip, size_t caplen,
                             DecodedPacket* out, int depth);

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

// TCP or UDP header at `l4` (length `l4_len` within the IP packet,
// `captured` of which are in the frame).
DecodeOutcome DecodeTransport(uint8_t proto, const uint8_t* l4, uint32_t l4_len,
                              uint32_t captured, DecodedPacket* out,
                              int depth) {
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
  } else {
    return DecodeOutcome::kNotTcpUdp;
  }
  out->src_port = Be16(l4);
  out->dst_port = Be16(l4 + 2);
  if (proto == kProtoUdp && !out->first_fragment &&
      (out->src_port == kGtpUserPort || out->dst_port == kGtpUserPort)) {
    const uint32_t inner = GtpInnerOffset(l4 + 8, out->l4_len - 8);
    if (inner != 0) {
      return DecodeIpNested(l4 + 8 + inner, out->l4_len - 8 - inner, out,
                            depth + 1);
    }
  }
  return DecodeOutcome::kOk;
}

DecodeOutcome DecodeIpv4(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         int depth) {
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
    return DecodeIpNested(ip + header_len, captured, out, depth + 1);
  }
  return DecodeTransport(proto, ip + header_len, total_len - header_len,
                         captured, out, depth);
}

DecodeOutcome DecodeIpv6(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                         int depth) {
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
          return DecodeIpNested(ip + offset, captured, out, depth + 1);
        }
        return DecodeTransport(next, ip + offset, total_len - offset, captured,
                               out, depth);
      }
    }
  }
}

DecodeOutcome DecodeIpNested(const uint8_t* ip, size_t caplen,
                             DecodedPacket* out, int depth) {
  if (depth > kMaxIpNesting) return DecodeOutcome::kNotTcpUdp;
  if (caplen < 1) return DecodeOutcome::kTruncatedIpHeader;
  switch (ip[0] >> 4) {
    case 4:
      return DecodeIpv4(ip, caplen, out, depth);
    case 6:
      return DecodeIpv6(ip, caplen, out, depth);
    default:
      return DecodeOutcome::kBadIpHeader;
  }
}

}  // namespace

DecodeOutcome DecodeIp(const uint8_t* ip, size_t caplen, DecodedPacket* out) {
  return DecodeIpNested(ip, caplen, out, 0);
}

}  // namespace preprocess
}  // namespace pktgrid
