#ifndef PKTGRID_PREPROCESS_DECODE_H_
#define PKTGRID_PREPROCESS_DECODE_H_

#include <cstddef>
#include <cstdint>

namespace pktgrid {
namespace preprocess {

// Why a captured frame did or did not yield a TCP/UDP packet. Every frame gets
// exactly one outcome so the per-file summary adds up to the frames read.
enum class DecodeOutcome : uint8_t {
  kOk = 0,
  kUnsupportedLinkType,
  kTruncatedLinkHeader,
  kNotIp,  // ARP, LLDP, STP, ... at the link layer
  kTruncatedIpHeader,
  kBadIpHeader,
  kLaterFragment,  // IPv4/IPv6 fragment with a non-zero offset
  kNotTcpUdp,      // ICMP, ESP, GRE, SCTP, ...
  kTruncatedTransportHeader,
  kBadTransportHeader,
  kNumOutcomes,
};

// Stable snake_case name for counters, manifests and the summary table.
const char* DecodeOutcomeName(DecodeOutcome outcome);

// Tunnels DecodeFrame can look through (the outermost one is recorded).
enum class Tunnel : uint8_t {
  kNone = 0,
  kIpInIp,  // 4in4, 6in4, 4in6, 6in6
  kGtpU,    // GTPv1-U G-PDU, UDP port 2152
  kVxlan,   // VXLAN, UDP port 4789 (inner Ethernet frame)
  kCapwap,  // CAPWAP data, UDP port 5247 (inner 802.11 or 802.3 frame)
  kTzsp,    // TZSP, UDP port 37008 (inner Ethernet frame)
  kNumTunnels,
};

// Stable snake_case name ("none", "ip_in_ip", "gtp_u", ...).
const char* TunnelName(Tunnel tunnel);

struct DecodeOptions {
  // Decapsulate GTP-U, VXLAN, CAPWAP and TZSP so the inner flow is what is
  // labelled and featurised. false keeps the outer view: the tunnel's own
  // UDP packets are the flow. IP-in-IP is always unwrapped (its outer
  // packet has no TCP/UDP header to make a flow of).
  bool unwrap_udp_tunnels = true;
};

// A decoded TCP/UDP packet. Pointers alias the frame passed to DecodeFrame.
struct DecodedPacket {
  uint8_t ip_version = 0;  // 4 or 6 (of the innermost IP header)
  // The innermost IP packet, clipped to what was captured and to the IP
  // length fields, so Ethernet trailer padding never appears in it. This is
  // what nDPI is fed.
  const uint8_t* l3 = nullptr;
  uint32_t l3_len = 0;
  // IP payload (transport header + application payload) as captured, clipped
  // to the IP length fields. The feature vector is cut from here.
  const uint8_t* l4 = nullptr;
  uint32_t l4_len = 0;
  uint8_t l4_proto = 0;               // 6 = TCP, 17 = UDP
  uint32_t transport_header_len = 0;  // TCP data offset * 4, or 8 for UDP
  // Application payload length according to the headers (it can exceed what
  // was captured when the snap length cut the frame).
  uint32_t payload_len = 0;
  uint8_t tcp_flags = 0;
  uint8_t src_addr[16] = {};  // IPv4 addresses use the first 4 bytes
  uint8_t dst_addr[16] = {};
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  bool first_fragment = false;    // IPv4/IPv6 fragment at offset 0 (MF set)
  Tunnel tunnel = Tunnel::kNone;  // outermost tunnel looked through
};

// TCP flag bits as found in the header's flags byte.
inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpAck = 0x10;

// Decodes one frame of the given libpcap DLT_ link type (the value
// pcap_datalink() returns): Ethernet with 802.1Q/QinQ/PPPoE/MPLS/LLC-SNAP,
// Linux SLL and SLL2, raw IP (12, 14, 101, 228, 229), BSD null (0, either
// byte order), LOOP (108), PPP (9), PPP-in-HDLC (50) and Cisco HDLC (104).
// IP-in-IP (4in4, 6in4, 4in6, 6in6) is unwrapped to the inner packet, and
// so are GTP-U (UDP 2152), CAPWAP data (5247) and TZSP (37008), as
// ndpiReader -t does, and VXLAN (4789), unless options say to keep the
// outer view. A tunnel whose header does not parse leaves the outer packet.
// Never reads outside [frame, frame + caplen).
DecodeOutcome DecodeFrame(int link_type, const uint8_t* frame, size_t caplen,
                          DecodedPacket* out,
                          const DecodeOptions& options = DecodeOptions());

// Decodes from an IP header (either version, told apart by the version
// nibble). Exposed for tests and for link decoders.
DecodeOutcome DecodeIp(const uint8_t* ip, size_t caplen, DecodedPacket* out,
                       const DecodeOptions& options = DecodeOptions());

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_DECODE_H_
