// Decoder and feature extraction on hand-built frames: exact bytes.

#include "preprocess/decode.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/features.h"
#include "tests/preprocess/test_frames.h"

namespace pktgrid {
namespace preprocess {
namespace {

using ::pktgrid::testing::Ethernet;
using ::pktgrid::testing::Ipv4;
using ::pktgrid::testing::Ipv6;
using ::pktgrid::testing::Letters;
using ::pktgrid::testing::Null;
using ::pktgrid::testing::Sll;
using ::pktgrid::testing::Sll2;
using ::pktgrid::testing::Tcp;
using ::pktgrid::testing::Udp;

constexpr int kEthernet = 1;

const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

DecodeOutcome Decode(int link, const std::string& frame, DecodedPacket* p) {
  return DecodeFrame(link, Bytes(frame), frame.size(), p);
}

std::vector<uint8_t> Row(const DecodedPacket& p, MaskMode mask, uint32_t bytes,
                         uint32_t skip = 0) {
  FeatureOptions o;
  o.bytes = bytes;
  o.mask = mask;
  o.skip = skip;
  return PadRow(ExtractFeatures(p, o), bytes);
}

std::vector<uint8_t> Concat(std::initializer_list<std::string> parts) {
  std::vector<uint8_t> v;
  for (const std::string& s : parts) v.insert(v.end(), s.begin(), s.end());
  return v;
}

// The TCP header with data offset 8 (32 bytes: 20 + 12 option bytes).
const std::string kTcpPayload = Letters(10);

TEST(DecodeTest, EthernetIpv4TcpWithOptionsMasksExactlyTheTcpHeader) {
  const std::string tcp = Tcp(8, kTcpPayload);
  ASSERT_EQ(tcp.size(), 42u);
  const std::string frame = Ethernet(0x0800, Ipv4(6, tcp));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, frame, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.l4_proto, 6);
  EXPECT_EQ(p.transport_header_len, 32u);
  EXPECT_EQ(p.payload_len, 10u);
  EXPECT_EQ(p.l3_len, 62u);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 443);
  EXPECT_EQ(p.tcp_flags, 0x18);

  // 48 bytes: 32 zeros, the 10 payload bytes, 6 zeros of padding.
  EXPECT_EQ(Row(p, MaskMode::kTransport, 48),
            Concat({std::string(32, '\0'), kTcpPayload, std::string(6, '\0')}));
  // fixed20 leaves the 12 option bytes visible (the paper's code).
  EXPECT_EQ(Row(p, MaskMode::kFixed20, 48),
            Concat({std::string(20, '\0'), tcp.substr(20, 12), kTcpPayload,
                    std::string(6, '\0')}));
  EXPECT_EQ(Row(p, MaskMode::kNone, 42), Concat({tcp}));
  // Truncation to fewer bytes than the IP payload.
  EXPECT_EQ(Row(p, MaskMode::kTransport, 35),
            Concat({std::string(32, '\0'), kTcpPayload.substr(0, 3)}));
  // skip drops bytes first; the mask still covers IP payload positions.
  EXPECT_EQ(Row(p, MaskMode::kTransport, 12, 30),
            Concat({std::string(2, '\0'), kTcpPayload}));
  EXPECT_EQ(Row(p, MaskMode::kNone, 8, 36),
            Concat({kTcpPayload.substr(4), std::string(2, '\0')}));
}

TEST(DecodeTest, UdpMasksEightBytes) {
  const std::string udp = Udp(Letters(20));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, Ethernet(0x0800, Ipv4(17, udp)), &p),
            DecodeOutcome::kOk);
  EXPECT_EQ(p.l4_proto, 17);
  EXPECT_EQ(p.transport_header_len, 8u);
  EXPECT_EQ(p.payload_len, 20u);
  EXPECT_EQ(Row(p, MaskMode::kTransport, 30),
            Concat({std::string(8, '\0'), Letters(20), std::string(2, '\0')}));
  // fixed20 also hides 12 payload bytes of UDP.
  EXPECT_EQ(Row(p, MaskMode::kFixed20, 28),
            Concat({std::string(20, '\0'), Letters(20).substr(12)}));
}

TEST(DecodeTest, EthernetTrailerPaddingIsNotPayload) {
  // 20 + 8 + 4 = 32-byte IP packet; Ethernet pads the frame to 60 bytes.
  std::string frame = Ethernet(0x0800, Ipv4(17, Udp("WXYZ")));
  frame.resize(60, '\xee');
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, frame, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.l3_len, 32u);
  EXPECT_EQ(p.l4_len, 12u);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(Row(p, MaskMode::kTransport, 16),
            Concat({std::string(8, '\0'), "WXYZ", std::string(4, '\0')}));
}

TEST(DecodeTest, VlanAndQinQ) {
  const std::string ip = Ipv4(6, Tcp(5, "hello"));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, Ethernet(0x0800, ip, {{0x8100, 100}}), &p),
            DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 5u);
  DecodedPacket q;
  ASSERT_EQ(
      Decode(kEthernet, Ethernet(0x0800, ip, {{0x88a8, 10}, {0x8100, 20}}), &q),
      DecodeOutcome::kOk);
  EXPECT_EQ(Row(q, MaskMode::kTransport, 25),
            Concat({std::string(20, '\0'), "hello"}));
  // A tagged ARP frame is not IP.
  DecodedPacket r;
  EXPECT_EQ(Decode(kEthernet,
                   Ethernet(0x0806, std::string(28, 'a'), {{0x8100, 1}}), &r),
            DecodeOutcome::kNotIp);
}

TEST(DecodeTest, Ipv6WalksHopByHopAndRoutingHeaders) {
  const std::string tcp = Tcp(6, "v6data");
  // Hop-by-hop (next: routing 43), 8 bytes; routing (next: TCP), 24 bytes.
  std::string hbh("\x2b\x00\x01\x04\x00\x00\x00\x00", 8);
  std::string routing("\x06\x02\x00\x00\x00\x00\x00\x00", 8);
  routing += std::string(16, '\x99');
  const std::string frame = Ethernet(0x86dd, Ipv6(0, hbh + routing + tcp));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, frame, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.l4_proto, 6);
  EXPECT_EQ(p.transport_header_len, 24u);
  EXPECT_EQ(p.payload_len, 6u);
  EXPECT_EQ(p.l3_len, 40u + 32u + 30u);
  EXPECT_EQ(p.src_addr[15], 1);
  EXPECT_EQ(Row(p, MaskMode::kTransport, 30),
            Concat({std::string(24, '\0'), "v6data"}));
}

TEST(DecodeTest, LinuxCookedV1AndV2) {
  const std::string ip = Ipv4(17, Udp("sll"));
  DecodedPacket p;
  ASSERT_EQ(Decode(113, Sll(0x0800, ip), &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 3u);
  ASSERT_EQ(Decode(276, Sll2(0x0800, ip), &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 3u);
  EXPECT_EQ(Decode(113, Sll(0x0800, ip).substr(0, 10), &p),
            DecodeOutcome::kTruncatedLinkHeader);
}

TEST(DecodeTest, RawIpLinkTypes) {
  const std::string v4 = Ipv4(6, Tcp(5, "raw"));
  const std::string v6 = Ipv6(17, Udp("raw6"));
  for (int link : {12, 14, 101, 228}) {
    DecodedPacket p;
    ASSERT_EQ(Decode(link, v4, &p), DecodeOutcome::kOk) << link;
    EXPECT_EQ(p.payload_len, 3u);
  }
  DecodedPacket p;
  ASSERT_EQ(Decode(229, v6, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(Decode(147, v4, &p), DecodeOutcome::kUnsupportedLinkType);
}

TEST(DecodeTest, NullLoopbackBothByteOrdersAndLoop) {
  const std::string v4 = Ipv4(17, Udp("lo"));
  const std::string v6 = Ipv6(17, Udp("lo6"));
  DecodedPacket p;
  ASSERT_EQ(Decode(0, Null(2, true, v4), &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.ip_version, 4);
  ASSERT_EQ(Decode(0, Null(2, false, v4), &p), DecodeOutcome::kOk);
  ASSERT_EQ(Decode(0, Null(30, true, v6), &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.ip_version, 6);
  ASSERT_EQ(Decode(0, Null(24, false, v6), &p), DecodeOutcome::kOk);
  ASSERT_EQ(Decode(108, Null(2, false, v4), &p), DecodeOutcome::kOk);
  EXPECT_EQ(Decode(0, Null(7, true, v4), &p), DecodeOutcome::kNotIp);
}

TEST(DecodeTest, PppCarriesIp) {
  const std::string ip = Ipv4(17, Udp("ppp"));
  DecodedPacket p;
  ASSERT_EQ(Decode(9, std::string("\xff\x03\x00\x21", 4) + ip, &p),
            DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 3u);
}

TEST(DecodeTest, Ipv4OptionsAndFragments) {
  // 4 option bytes (NOP x3 + EOL): the IP header is 24 bytes.
  const std::string udp = Udp(Letters(12));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet,
                   Ethernet(0x0800, Ipv4(17, udp, 0x4000,
                                         std::string("\x01\x01\x01\x00", 4))),
                   &p),
            DecodeOutcome::kOk);
  EXPECT_EQ(p.l3_len, 24u + 20u);
  EXPECT_EQ(p.payload_len, 12u);
  // First fragment (MF, offset 0) keeps its payload.
  ASSERT_EQ(Decode(kEthernet, Ethernet(0x0800, Ipv4(17, udp, 0x2000)), &p),
            DecodeOutcome::kOk);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_EQ(p.payload_len, 12u);
  // A later fragment (offset 185 * 8) is set aside.
  EXPECT_EQ(
      Decode(kEthernet, Ethernet(0x0800, Ipv4(17, Letters(40), 0x00b9)), &p),
      DecodeOutcome::kLaterFragment);
}

TEST(DecodeTest, MalformedAndOtherProtocolsAreCountedNotCrashed) {
  DecodedPacket p;
  EXPECT_EQ(Decode(kEthernet, Ethernet(0x0800, Ipv4(1, Letters(8))), &p),
            DecodeOutcome::kNotTcpUdp);
  const std::string full = Ethernet(0x0800, Ipv4(6, Tcp(8, "x")));
  EXPECT_EQ(Decode(kEthernet, full.substr(0, 14 + 10), &p),
            DecodeOutcome::kTruncatedIpHeader);
  EXPECT_EQ(Decode(kEthernet, full.substr(0, 14 + 20 + 10), &p),
            DecodeOutcome::kTruncatedTransportHeader);
  EXPECT_EQ(Decode(kEthernet, full.substr(0, 8), &p),
            DecodeOutcome::kTruncatedLinkHeader);
  // Data offset 3 words is impossible.
  EXPECT_EQ(Decode(kEthernet, Ethernet(0x0800, Ipv4(6, Tcp(3, "x"))), &p),
            DecodeOutcome::kBadTransportHeader);
  // Every truncation of a valid frame decodes to some outcome, in bounds.
  for (size_t n = 0; n <= full.size(); ++n) {
    Decode(kEthernet, full.substr(0, n), &p);
  }
}

TEST(DecodeTest, SnappedFrameKeepsHeaderPayloadLength) {
  // Captured up to 4 payload bytes of 10: features use what was captured.
  const std::string frame = Ethernet(0x0800, Ipv4(6, Tcp(5, Letters(10))));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, frame.substr(0, frame.size() - 6), &p),
            DecodeOutcome::kOk);
  EXPECT_EQ(p.payload_len, 10u);
  EXPECT_EQ(p.l4_len, 24u);
  EXPECT_EQ(Row(p, MaskMode::kTransport, 26),
            Concat({std::string(20, '\0'), Letters(4), std::string(2, '\0')}));
}

TEST(FeaturesTest, ParseMaskMode) {
  EXPECT_EQ(*ParseMaskMode("fixed20"), MaskMode::kFixed20);
  EXPECT_EQ(*ParseMaskMode("transport"), MaskMode::kTransport);
  EXPECT_EQ(*ParseMaskMode("none"), MaskMode::kNone);
  EXPECT_FALSE(ParseMaskMode("tcp").ok());
}

// ---- Tunnels: the inner flow is decoded and featurised; outer view keeps
// the carrier. Inner packets: 10.0.0.1:40000 -> 10.0.0.2:443 TCP "hello".

namespace tunnels {

using ::pktgrid::testing::UdpPorts;

const std::string kInnerTcp = Ipv4(6, Tcp(5, "hello"));  // 45 bytes

DecodeOptions OuterView() {
  DecodeOptions o;
  o.unwrap_udp_tunnels = false;
  return o;
}

// Asserts the decoded packet is kInnerTcp and checks its rows in both
// masking modes and with --skip.
void ExpectInnerTcp(const DecodedPacket& p) {
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.l4_proto, 6);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 443);
  EXPECT_EQ(p.l3_len, 45u);
  EXPECT_EQ(p.l4_len, 25u);
  EXPECT_EQ(p.transport_header_len, 20u);
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(p.l3), p.l3_len),
            kInnerTcp);
  EXPECT_EQ(Row(p, MaskMode::kTransport, 27),
            Concat({std::string(20, '\0'), "hello", std::string(2, '\0')}));
  EXPECT_EQ(Row(p, MaskMode::kNone, 25), Concat({Tcp(5, "hello")}));
  // skip 18: positions 18-19 are still masked TCP header bytes.
  EXPECT_EQ(Row(p, MaskMode::kTransport, 10, 18),
            Concat({std::string(2, '\0'), "hello", std::string(3, '\0')}));
}

TEST(TunnelTest, GtpUIsDecapsulated) {
  // GTPv1-U G-PDU: flags 0x30 (version 1, PT 1), type 0xff, length, TEID.
  std::string gtp("\x30\xff\x00\x2d\x00\x00\x00\x07", 8);
  const std::string outer =
      Ethernet(0x0800, Ipv4(17, UdpPorts(2152, 2152, gtp + kInnerTcp)));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, outer, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.tunnel, Tunnel::kGtpU);
  ExpectInnerTcp(p);

  // With a sequence number and one extension header (PDU session container).
  std::string ext(
      "\x34\xff\x00\x35\x00\x00\x00\x07"  // E flag set
      "\x00\x01\x00\x85"                  // seq, N-PDU, next 0x85
      "\x01\x10\x01\x00",                 // 4 bytes, next 0
      16);
  DecodedPacket q;
  ASSERT_EQ(
      Decode(kEthernet,
             Ethernet(0x0800, Ipv4(17, UdpPorts(2152, 2152, ext + kInnerTcp))),
             &q),
      DecodeOutcome::kOk);
  EXPECT_EQ(q.tunnel, Tunnel::kGtpU);
  ExpectInnerTcp(q);

  // Outer view: the GTP-U packet itself, UDP 2152, masked as UDP.
  DecodedPacket o;
  ASSERT_EQ(DecodeFrame(kEthernet, Bytes(outer), outer.size(), &o, OuterView()),
            DecodeOutcome::kOk);
  EXPECT_EQ(o.tunnel, Tunnel::kNone);
  EXPECT_EQ(o.l4_proto, 17);
  EXPECT_EQ(o.src_port, 2152);
  EXPECT_EQ(o.payload_len, 8u + 45u);
  EXPECT_EQ(Row(o, MaskMode::kTransport, 16),
            Concat({std::string(8, '\0'), gtp}));
  EXPECT_EQ(Row(o, MaskMode::kFixed20, 24),
            Concat({std::string(20, '\0'), kInnerTcp.substr(4, 4)}));
}

TEST(TunnelTest, VxlanIsDecapsulated) {
  // VXLAN header: I flag, VNI 0x000100; then a whole Ethernet frame.
  const std::string vxlan("\x08\x00\x00\x00\x00\x01\x00\x00", 8);
  const std::string inner_frame = Ethernet(0x0800, kInnerTcp, {{0x8100, 5}});
  const std::string outer =
      Ethernet(0x0800, Ipv4(17, UdpPorts(51000, 4789, vxlan + inner_frame)));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, outer, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.tunnel, Tunnel::kVxlan);
  ExpectInnerTcp(p);

  DecodedPacket o;
  ASSERT_EQ(DecodeFrame(kEthernet, Bytes(outer), outer.size(), &o, OuterView()),
            DecodeOutcome::kOk);
  EXPECT_EQ(o.tunnel, Tunnel::kNone);
  EXPECT_EQ(o.dst_port, 4789);
  EXPECT_EQ(o.payload_len, 8u + inner_frame.size());
  EXPECT_EQ(Row(o, MaskMode::kTransport, 16),
            Concat({std::string(8, '\0'), vxlan}));

  // Without the I flag it is not VXLAN: the outer packet stays.
  std::string bad = vxlan;
  bad[0] = '\0';
  DecodedPacket b;
  ASSERT_EQ(Decode(kEthernet,
                   Ethernet(0x0800,
                            Ipv4(17, UdpPorts(51000, 4789, bad + inner_frame))),
                   &b),
            DecodeOutcome::kOk);
  EXPECT_EQ(b.tunnel, Tunnel::kNone);
  EXPECT_EQ(b.dst_port, 4789);
}

TEST(TunnelTest, CapwapWith80211AndSwappedFrameControl) {
  // CAPWAP: preamble 0, HLEN 2 words (8 bytes), WBID 1, T set.
  const std::string capwap("\x00\x10\x03\x00\x00\x00\x00\x00", 8);
  // 802.11 data frame, ToDS; Cisco sends frame control byte-swapped.
  std::string wlan("\x01\x08", 2);
  wlan += std::string(22, '\x11');  // duration, 3 addresses, sequence
  const std::string llc("\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
  const std::string outer = Ethernet(
      0x0800, Ipv4(17, UdpPorts(12380, 5247, capwap + wlan + llc + kInnerTcp)));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, outer, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.tunnel, Tunnel::kCapwap);
  ExpectInnerTcp(p);
  // An 802.11 management frame carries no IP: set aside, not the carrier.
  std::string mgmt("\x40\x00", 2);
  mgmt += std::string(30, '\x22');
  DecodedPacket m;
  EXPECT_EQ(
      Decode(kEthernet,
             Ethernet(0x0800, Ipv4(17, UdpPorts(12380, 5247, capwap + mgmt))),
             &m),
      DecodeOutcome::kNotIp);
}

TEST(TunnelTest, TzspCarriesEthernet) {
  // Version 1, type 0 (received), encapsulation 1 (Ethernet), a padding
  // tag, an RSSI tag (type 10, 1 byte), END.
  const std::string tzsp("\x01\x00\x00\x01\x00\x0a\x01\xd0\x01", 9);
  const std::string outer = Ethernet(
      0x0800,
      Ipv4(17, UdpPorts(40001, 37008, tzsp + Ethernet(0x0800, kInnerTcp))));
  DecodedPacket p;
  ASSERT_EQ(Decode(kEthernet, outer, &p), DecodeOutcome::kOk);
  EXPECT_EQ(p.tunnel, Tunnel::kTzsp);
  ExpectInnerTcp(p);
}

TEST(TunnelTest, NestingIsBounded) {
  // GTP-U inside GTP-U inside ... deeper than the bound: never recurses
  // without limit, and the outcome is a set-aside reason, not a crash.
  std::string gtp("\x30\xff\x00\x00\x00\x00\x00\x07", 8);
  std::string ip = kInnerTcp;
  for (int i = 0; i < 8; ++i) ip = Ipv4(17, UdpPorts(2152, 2152, gtp + ip));
  DecodedPacket p;
  const DecodeOutcome outcome = Decode(kEthernet, Ethernet(0x0800, ip), &p);
  EXPECT_TRUE(outcome == DecodeOutcome::kOk ||
              outcome == DecodeOutcome::kNotTcpUdp);
  if (outcome == DecodeOutcome::kOk) {
    EXPECT_EQ(p.src_port, 2152);
  }
}

}  // namespace tunnels

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
