// Link-layer decoding: finds the IP header inside a frame of a libpcap link
// type and hands it to DecodeIp.

#include "preprocess/decode.h"
#include "preprocess/decode_internal.h"

namespace pktgrid {
namespace preprocess {
namespace {

// DLT_ values as pcap_datalink() reports them on Linux (libpcap maps
// LINKTYPE_RAW 101 to DLT_RAW 12; 14 is OpenBSD's DLT_RAW, kept for files
// written there).
constexpr int kDltNull = 0;
constexpr int kDltEthernet = 1;
constexpr int kDltPpp = 9;
constexpr int kDltRaw = 12;
constexpr int kDltRawOpenBsd = 14;
constexpr int kDltPppSerial = 50;
constexpr int kDltLinktypeRaw = 101;
constexpr int kDltCiscoHdlc = 104;
constexpr int kDltLoop = 108;
constexpr int kDltLinuxSll = 113;
constexpr int kDltIpv4 = 228;
constexpr int kDltIpv6 = 229;
constexpr int kDltLinuxSll2 = 276;

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86dd;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88a8;
constexpr uint16_t kEtherQinQOld = 0x9100;
constexpr uint16_t kEtherMplsUnicast = 0x8847;
constexpr uint16_t kEtherMplsMulticast = 0x8848;
constexpr uint16_t kEtherPppoeSession = 0x8864;
constexpr int kMaxVlanTags = 4;
constexpr int kMaxMplsLabels = 8;

using internal::Be16;
using internal::DecodeContext;

// PPP protocol numbers for IP.
DecodeOutcome FromPppProtocol(uint16_t proto, const uint8_t* p, size_t len,
                              DecodedPacket* out, DecodeContext* ctx) {
  if (proto == 0x0021 || proto == 0x0057) {
    return internal::DecodeIpAt(p, len, out, ctx);
  }
  return DecodeOutcome::kNotIp;
}

}  // namespace

namespace internal {

// Dispatches on an Ethernet type (after any tags were removed).
DecodeOutcome DecodeEtherTypeAt(uint16_t type, const uint8_t* p, size_t len,
                                DecodedPacket* out, DecodeContext* ctx) {
  switch (type) {
    case kEtherIpv4:
    case kEtherIpv6:
      return DecodeIpAt(p, len, out, ctx);
    case kEtherPppoeSession:
      // 6-byte PPPoE header, then the 2-byte PPP protocol.
      if (len < 8) return DecodeOutcome::kTruncatedLinkHeader;
      return FromPppProtocol(Be16(p + 6), p + 8, len - 8, out, ctx);
    case kEtherMplsUnicast:
    case kEtherMplsMulticast: {
      // Pop labels to the bottom of the stack, then guess from the version.
      for (int i = 0; i < kMaxMplsLabels; ++i) {
        if (len < 4) return DecodeOutcome::kTruncatedLinkHeader;
        const bool bottom = (p[2] & 1) != 0;
        p += 4;
        len -= 4;
        if (bottom) return DecodeIpAt(p, len, out, ctx);
      }
      return DecodeOutcome::kNotIp;
    }
    default:
      return DecodeOutcome::kNotIp;
  }
}

DecodeOutcome DecodeEthernetAt(const uint8_t* p, size_t len, DecodedPacket* out,
                               DecodeContext* ctx) {
  if (len < 14) return DecodeOutcome::kTruncatedLinkHeader;
  uint16_t type = Be16(p + 12);
  p += 14;
  len -= 14;
  // 802.1Q, 802.1ad (QinQ) and the pre-standard 0x9100 stack freely.
  for (int tags = 0;
       type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld;
       ++tags) {
    if (tags == kMaxVlanTags) return DecodeOutcome::kNotIp;
    if (len < 4) return DecodeOutcome::kTruncatedLinkHeader;
    type = Be16(p + 2);
    p += 4;
    len -= 4;
  }
  if (type <= 1500) {
    // 802.3 length field: only LLC/SNAP can carry IP.
    if (len < 8) return DecodeOutcome::kTruncatedLinkHeader;
    if (p[0] != 0xaa || p[1] != 0xaa) return DecodeOutcome::kNotIp;
    type = Be16(p + 6);
    p += 8;
    len -= 8;
  }
  return DecodeEtherTypeAt(type, p, len, out, ctx);
}

}  // namespace internal

namespace {

using internal::DecodeEtherTypeAt;

// BSD loopback: a 4-byte address family in the byte order of the machine that
// captured (DLT_NULL) or in network order (DLT_LOOP).
DecodeOutcome DecodeNull(const uint8_t* p, size_t len, bool network_order,
                         DecodedPacket* out, DecodeContext* ctx) {
  if (len < 4) return DecodeOutcome::kTruncatedLinkHeader;
  const uint32_t be =
      static_cast<uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3];
  const uint32_t le =
      static_cast<uint32_t>(p[3]) << 24 | p[2] << 16 | p[1] << 8 | p[0];
  // Families are small numbers, so the order with the small value is right.
  const uint32_t family = network_order ? be : (be < le ? be : le);
  switch (family) {
    case 2:   // AF_INET everywhere
    case 10:  // AF_INET6 on Linux
    case 24:  // AF_INET6 on NetBSD/OpenBSD
    case 28:  // AF_INET6 on FreeBSD
    case 30:  // AF_INET6 on macOS
      return internal::DecodeIpAt(p + 4, len - 4, out, ctx);
    default:
      return DecodeOutcome::kNotIp;
  }
}

}  // namespace

DecodeOutcome DecodeFrame(int link_type, const uint8_t* frame, size_t caplen,
                          DecodedPacket* out, const DecodeOptions& options) {
  DecodeContext context{options, 0};
  DecodeContext* ctx = &context;
  out->tunnel = Tunnel::kNone;
  switch (link_type) {
    case kDltEthernet:
      return internal::DecodeEthernetAt(frame, caplen, out, ctx);
    case kDltNull:
      return DecodeNull(frame, caplen, /*network_order=*/false, out, ctx);
    case kDltLoop:
      return DecodeNull(frame, caplen, /*network_order=*/true, out, ctx);
    case kDltRaw:
    case kDltRawOpenBsd:
    case kDltLinktypeRaw:
    case kDltIpv4:
    case kDltIpv6:
      return internal::DecodeIpAt(frame, caplen, out, ctx);
    case kDltLinuxSll:
      // 16 bytes; the Ethernet protocol type is the last field.
      if (caplen < 16) return DecodeOutcome::kTruncatedLinkHeader;
      return DecodeEtherTypeAt(Be16(frame + 14), frame + 16, caplen - 16, out,
                               ctx);
    case kDltLinuxSll2:
      // 20 bytes; the protocol type comes first.
      if (caplen < 20) return DecodeOutcome::kTruncatedLinkHeader;
      return DecodeEtherTypeAt(Be16(frame), frame + 20, caplen - 20, out, ctx);
    case kDltPpp:
      // Address/control (ff 03) may be compressed away; the protocol field
      // may be compressed to one byte (odd value).
      if (caplen >= 2 && frame[0] == 0xff && frame[1] == 0x03) {
        frame += 2;
        caplen -= 2;
      }
      if (caplen >= 1 && (frame[0] & 1) != 0) {
        return FromPppProtocol(frame[0], frame + 1, caplen - 1, out, ctx);
      }
      if (caplen < 2) return DecodeOutcome::kTruncatedLinkHeader;
      return FromPppProtocol(Be16(frame), frame + 2, caplen - 2, out, ctx);
    case kDltPppSerial:
      if (caplen < 4) return DecodeOutcome::kTruncatedLinkHeader;
      return FromPppProtocol(Be16(frame + 2), frame + 4, caplen - 4, out, ctx);
    case kDltCiscoHdlc:
      if (caplen < 4) return DecodeOutcome::kTruncatedLinkHeader;
      return DecodeEtherTypeAt(Be16(frame + 2), frame + 4, caplen - 4, out,
                               ctx);
    default:
      return DecodeOutcome::kUnsupportedLinkType;
  }
}

const char* TunnelName(Tunnel tunnel) {
  switch (tunnel) {
    case Tunnel::kNone:
      return "none";
    case Tunnel::kIpInIp:
      return "ip_in_ip";
    case Tunnel::kGtpU:
      return "gtp_u";
    case Tunnel::kVxlan:
      return "vxlan";
    case Tunnel::kCapwap:
      return "capwap";
    case Tunnel::kTzsp:
      return "tzsp";
    case Tunnel::kNumTunnels:
      break;
  }
  return "invalid";
}

const char* DecodeOutcomeName(DecodeOutcome outcome) {
  switch (outcome) {
    case DecodeOutcome::kOk:
      return "ok";
    case DecodeOutcome::kUnsupportedLinkType:
      return "unsupported_link_type";
    case DecodeOutcome::kTruncatedLinkHeader:
      return "truncated_link_header";
    case DecodeOutcome::kNotIp:
      return "not_ip";
    case DecodeOutcome::kTruncatedIpHeader:
      return "truncated_ip_header";
    case DecodeOutcome::kBadIpHeader:
      return "bad_ip_header";
    case DecodeOutcome::kLaterFragment:
      return "later_fragment";
    case DecodeOutcome::kNotTcpUdp:
      return "not_tcp_udp";
    case DecodeOutcome::kTruncatedTransportHeader:
      return "truncated_transport_header";
    case DecodeOutcome::kBadTransportHeader:
      return "bad_transport_header";
    case DecodeOutcome::kNumOutcomes:
      break;
  }
  return "invalid";
}

}  // namespace preprocess
}  // namespace pktgrid
