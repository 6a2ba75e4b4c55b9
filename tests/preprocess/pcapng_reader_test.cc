// pcapng files built byte by byte in the test: several interfaces with
// different link types, sections in both byte orders, blocks to skip,
// timestamp resolutions, and broken blocks that must end the file with a
// named error after the packets before them.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/capture_processor.h"
#include "preprocess/capture_reader.h"
#include "preprocess/decode.h"
#include "preprocess/features.h"
#include "tests/preprocess/test_frames.h"

namespace pktgrid {
namespace preprocess {
namespace {

using testing::Ethernet;
using testing::Ipv4;
using testing::Sll;
using testing::Tcp;
using testing::Udp;

constexpr uint16_t kIpv4Type = 0x0800;

// Writes pcapng blocks in the byte order of the current section.
class PcapngBuilder {
 public:
  // Starts a section (its own interfaces, from id 0) in the given order.
  void Section(bool big_endian) {
    big_ = big_endian;
    Block(0x0A0D0D0A, U32(0x1A2B3C4D) + U16(1) + U16(0) +
                          U64(~uint64_t{0}) +  // section length unknown
                          Option(4, "pktgrid test") + Option(0, ""));
  }
  void Interface(uint16_t link_type, uint32_t snaplen,
                 const std::string& options = "") {
    Block(1, U16(link_type) + U16(0) + U32(snaplen) + options);
  }
  void Enhanced(uint32_t iface, uint64_t ticks, const std::string& data) {
    Block(6, U32(iface) + U32(ticks >> 32) + U32(ticks & 0xffffffff) +
                 U32(data.size()) + U32(data.size()) + data + Pad(data.size()) +
                 Option(1, "a comment") + Option(0, ""));
  }
  void Simple(const std::string& data) { Block(3, U32(data.size()) + data); }
  void ObsoletePacket(uint16_t iface, uint64_t ticks, const std::string& data) {
    Block(2, U16(iface) + U16(0) + U32(ticks >> 32) + U32(ticks & 0xffffffff) +
                 U32(data.size()) + U32(data.size()) + data);
  }
  // Blocks the reader skips.
  void InterfaceStatistics() {
    Block(5, U32(0) + U32(1) + U32(2) + Option(4, U64(7)) + Option(0, ""));
  }
  void NameResolution() {
    // One IPv4 record: address, "server\0", one byte of padding.
    Block(4, U16(1) + U16(11) + std::string("\x0a\x00\x00\x02", 4) +
                 std::string("server\0", 7) + std::string(1, '\0') + U16(0) +
                 U16(0));
  }
  void Custom() { Block(0x00000BAD, U32(32473) + "vendor data"); }
  void DecryptionSecrets() {
    Block(0x0000000A, U32(0x544c534b) + U32(5) + "keys!");
  }

  std::string Option(uint16_t code, const std::string& value) const {
    return U16(code) + U16(value.size()) + value + Pad(value.size());
  }
  std::string U16(uint16_t v) const { return Bytes(v, 2); }
  std::string U32(uint32_t v) const { return Bytes(v, 4); }
  std::string U64(uint64_t v) const { return Bytes(v, 8); }

  std::string& bytes() { return out_; }

 private:
  void Block(uint32_t type, const std::string& body) {
    const std::string padded = body + Pad(body.size());
    const uint32_t total = 12 + padded.size();
    out_ += U32(type) + U32(total) + padded + U32(total);
  }
  static std::string Pad(size_t n) { return std::string((4 - n % 4) % 4, 0); }
  std::string Bytes(uint64_t v, int n) const {
    std::string s(n, '\0');
    for (int i = 0; i < n; ++i) {
      s[big_ ? n - 1 - i : i] = static_cast<char>(v >> (8 * i));
    }
    return s;
  }

  bool big_ = false;
  std::string out_;
};

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string WriteFile(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct Read {
  std::vector<CapturedFrame> frames;
  std::vector<std::string> data;  // each frame's bytes
  absl::Status error;
};

Read ReadAll(const std::string& path) {
  auto reader = CaptureReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  Read out;
  if (!reader.ok()) return out;
  CapturedFrame frame;
  while ((*reader)->Next(&frame)) {
    out.frames.push_back(frame);
    out.data.emplace_back(reinterpret_cast<const char*>(frame.data),
                          frame.caplen);
  }
  out.error = (*reader)->error();
  return out;
}

// The feature bytes (transport header masked) of a frame, "" if it does
// not decode to TCP/UDP.
std::string Features(const CapturedFrame& frame, const std::string& data) {
  DecodedPacket packet;
  if (DecodeFrame(frame.link_type,
                  reinterpret_cast<const uint8_t*>(data.data()), data.size(),
                  &packet) != DecodeOutcome::kOk) {
    return "";
  }
  return ExtractFeatures(packet, FeatureOptions());
}

FileSummary Process(const std::string& path) {
  PreprocessOptions options;
  options.drop_labels.clear();
  auto policy = LabelPolicy::Create(options.drop_labels, options.merges);
  auto selection = ClassSelection::Parse("no-such-class");  // counts only
  ClassSampler sampler(1, 1);
  CaptureProcessor processor(options, *policy, *selection, &sampler);
  return processor.Process(path);
}

// Packets of the mixed file, each with a payload of its own.
const std::string kTcpEth = Ethernet(kIpv4Type, Ipv4(6, Tcp(5, "eth tcp")));
const std::string kUdpRaw = Ipv4(17, Udp("raw ipv4 udp"));
const std::string kUdpSll = Sll(kIpv4Type, Ipv4(17, Udp("sll udp")));
const std::string kTcpSll = Sll(kIpv4Type, Ipv4(6, Tcp(5, "sll tcp")));
const std::string kUdpOld = Sll(kIpv4Type, Ipv4(17, Udp("old block")));

// Little-endian section: Ethernet (1) and raw IPv4 (228, nanosecond
// timestamps) with blocks to skip between the packets; then a big-endian
// section whose interface 0 is Linux cooked (113) with 2^-10 s ticks.
std::string MixedFile() {
  PcapngBuilder b;
  b.Section(false);
  b.Interface(1, 65535);
  b.NameResolution();
  b.Interface(228, 262144, b.Option(9, "\x09") + b.Option(0, ""));
  b.Enhanced(0, 1700000000123456, kTcpEth);
  b.InterfaceStatistics();
  b.Custom();
  b.Enhanced(1, 1700000001987654321, kUdpRaw);
  b.DecryptionSecrets();
  b.Section(true);
  b.Interface(113, 0, b.Option(9, "\x8a") + b.Option(0, ""));
  b.NameResolution();
  b.Enhanced(0, uint64_t{1700000002} * 1024 + 512, kUdpSll);
  b.Simple(kTcpSll);
  b.ObsoletePacket(0, uint64_t{1700000003} * 1024 + 256, kUdpOld);
  b.InterfaceStatistics();
  return b.bytes();
}

TEST(PcapngReaderTest, EachPacketGetsItsInterfacesLinkTypeAcrossSections) {
  const std::string path = WriteFile("mixed.pcapng", MixedFile());
  auto reader = CaptureReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->link_type(), 1);  // the first interface's

  const Read r = ReadAll(path);
  EXPECT_TRUE(r.error.ok()) << r.error;
  ASSERT_EQ(r.frames.size(), 5u);
  EXPECT_EQ(r.data, (std::vector<std::string>{kTcpEth, kUdpRaw, kUdpSll,
                                              kTcpSll, kUdpOld}));
  std::vector<int> links;
  std::vector<uint64_t> times;
  for (const CapturedFrame& f : r.frames) {
    links.push_back(f.link_type);
    times.push_back(f.time_us);
    EXPECT_EQ(f.wire_len, f.caplen);
  }
  EXPECT_EQ(links, (std::vector<int>{1, 228, 113, 113, 113}));
  EXPECT_EQ(times, (std::vector<uint64_t>{
                       1700000000123456,  // microseconds (default)
                       1700000001987654,  // nanoseconds, truncated
                       1700000002500000,  // 512/1024 s
                       0,                 // simple packets have no time
                       1700000003250000,  // 256/1024 s
                   }));

  // Decoded with their own link types: IP payload, transport header zeroed.
  const std::string tcp_mask(20, '\0'), udp_mask(8, '\0');
  EXPECT_EQ(Features(r.frames[0], r.data[0]), tcp_mask + "eth tcp");
  EXPECT_EQ(Features(r.frames[1], r.data[1]), udp_mask + "raw ipv4 udp");
  EXPECT_EQ(Features(r.frames[2], r.data[2]), udp_mask + "sll udp");
  EXPECT_EQ(Features(r.frames[3], r.data[3]), tcp_mask + "sll tcp");
  EXPECT_EQ(Features(r.frames[4], r.data[4]), udp_mask + "old block");

  const FileSummary s = Process(path);
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.link_type, 1);
  EXPECT_EQ(s.link_types,
            (std::map<int, uint64_t>{{1, 1}, {113, 3}, {228, 1}}));
  EXPECT_EQ(s.frames, 5u);
  EXPECT_EQ(s.decoded(), 5u);
  EXPECT_EQ(s.payload_packets, 5u);
  // One TCP and one UDP 5-tuple (test_frames' fixed endpoints).
  EXPECT_EQ(s.flows, 2u);
}

TEST(PcapngReaderTest, ClassicPcapStillGoesThroughLibpcap) {
  // Little-endian microsecond pcap: file header, one record.
  PcapngBuilder le;  // only for its little-endian integers
  const std::string pcap =
      le.U32(0xa1b2c3d4) + le.U16(2) + le.U16(4) + le.U32(0) + le.U32(0) +
      le.U32(65535) + le.U32(228) + le.U32(1700000000) + le.U32(1) +
      le.U32(kUdpRaw.size()) + le.U32(kUdpRaw.size()) + kUdpRaw;
  const Read r = ReadAll(WriteFile("classic.pcap", pcap));
  EXPECT_TRUE(r.error.ok()) << r.error;
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].link_type, 228);
  EXPECT_EQ(r.frames[0].time_us, 1700000000000001u);
  EXPECT_EQ(r.data[0], kUdpRaw);
}

TEST(PcapngReaderTest, TimestampResolutionsAndOffset) {
  PcapngBuilder b;
  b.Section(false);
  const std::string end = b.Option(0, "");
  b.Interface(228, 0);                             // 0: default, 10^-6
  b.Interface(228, 0, b.Option(9, "\x09") + end);  // 1: 10^-9
  b.Interface(228, 0, b.Option(9, "\x03") + end);  // 2: 10^-3
  b.Interface(228, 0, b.Option(9, "\x94") + end);  // 3: 2^-20
  b.Interface(228, 0,                              // 4: 10^-6, +100 s
              b.Option(14, b.U64(100)) + end);
  b.Interface(
      101, 0,
      b.Option(9, std::string(1, '\0')) + end);  // 5: whole seconds, RAW
  b.Enhanced(0, 1700000000654321, kUdpRaw);
  b.Enhanced(1, 1700000000999999999, kUdpRaw);
  b.Enhanced(2, 1700000000042, kUdpRaw);
  b.Enhanced(3, (uint64_t{1700000000} << 20) + (1 << 19) + 1, kUdpRaw);
  b.Enhanced(4, 1700000000000007, kUdpRaw);
  b.Enhanced(5, 1700000000, kUdpRaw);
  const Read r = ReadAll(WriteFile("tsresol.pcapng", b.bytes()));
  EXPECT_TRUE(r.error.ok()) << r.error;
  std::vector<uint64_t> times;
  for (const CapturedFrame& f : r.frames) times.push_back(f.time_us);
  EXPECT_EQ(times, (std::vector<uint64_t>{
                       1700000000654321, 1700000000999999, 1700000000042000,
                       1700000000500000,  // 2^19 + 1 ticks of 2^-20 s
                       1700000100000007, 1700000000000000}));
  // LINKTYPE_RAW (101) is reported as libpcap's DLT_RAW (12).
  EXPECT_EQ(r.frames.back().link_type, 12);
}

// Two packets of one UDP flow `gap_s` seconds apart on an interface whose
// ticks are 10^-`digits` s: the idle timeout (1800 s) sees the real gap.
uint64_t FlowsWithGap(const std::string& name, char digits, uint64_t gap_s) {
  PcapngBuilder b;
  b.Section(false);
  b.Interface(228, 0, b.Option(9, std::string(1, digits)) + b.Option(0, ""));
  uint64_t ticks_per_s = 1;
  for (char i = 0; i < digits; ++i) ticks_per_s *= 10;
  const uint64_t start = 1700000000 * ticks_per_s;
  b.Enhanced(0, start, kUdpRaw);
  b.Enhanced(0, start + gap_s * ticks_per_s, kUdpRaw);
  const FileSummary s = Process(WriteFile(name, b.bytes()));
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.frames, 2u);
  return s.flows;
}

TEST(PcapngReaderTest, IdleTimeoutUsesTheInterfacesResolution) {
  // 1000 s in nanoseconds would be 11.6 days read as microseconds.
  EXPECT_EQ(FlowsWithGap("ns.pcapng", 9, 1000), 1u);
  // 2000 s in milliseconds would be 2 s read as microseconds.
  EXPECT_EQ(FlowsWithGap("ms.pcapng", 3, 2000), 2u);
}

// Three packets; the caller breaks the last block.
PcapngBuilder ThreePackets() {
  PcapngBuilder b;
  b.Section(false);
  b.Interface(1, 65535);
  b.Enhanced(0, 1, kTcpEth);
  b.InterfaceStatistics();
  b.Enhanced(0, 2, kTcpEth);
  b.Enhanced(0, 3, kTcpEth);
  return b;
}

TEST(PcapngReaderTest, TruncatedLastBlockKeepsEarlierPackets) {
  PcapngBuilder b = ThreePackets();
  b.bytes().resize(b.bytes().size() - 30);
  const std::string path = WriteFile("truncated.pcapng", b.bytes());
  const Read r = ReadAll(path);
  EXPECT_EQ(r.frames.size(), 2u);
  EXPECT_TRUE(absl::IsDataLoss(r.error)) << r.error;
  EXPECT_NE(r.error.message().find(path), std::string::npos) << r.error;
  EXPECT_NE(r.error.message().find("truncated block of type 6"),
            std::string::npos)
      << r.error;

  const FileSummary s = Process(path);
  EXPECT_EQ(s.frames, 2u);
  EXPECT_EQ(s.payload_packets, 2u);
  EXPECT_EQ(s.error, std::string(r.error.message()));
}

TEST(PcapngReaderTest, TrailingLengthMismatchEndsTheFile) {
  PcapngBuilder b = ThreePackets();
  b.bytes()[b.bytes().size() - 4] ^= 0x04;  // last block's trailing length
  const std::string path = WriteFile("trailer.pcapng", b.bytes());
  const Read r = ReadAll(path);
  EXPECT_EQ(r.frames.size(), 2u);
  EXPECT_NE(r.error.message().find(path), std::string::npos) << r.error;
  EXPECT_NE(r.error.message().find("trailing length"), std::string::npos)
      << r.error;
}

// A file of one interface and one packet block with the given body.
std::string OnePacketBlock(uint32_t type, const std::string& body) {
  PcapngBuilder b;
  b.Section(false);
  b.Interface(1, 65535);
  const uint32_t total = 12 + body.size();
  b.bytes() += b.U32(type) + b.U32(total) + body + b.U32(total);
  return b.bytes();
}

TEST(PcapngReaderTest, MalformedBlocksAreNamedErrors) {
  PcapngBuilder b;
  const std::string data(8, 'x');
  const struct {
    std::string name;
    std::string bytes;
    std::string error;
  } cases[] = {
      {"unknown_interface",
       OnePacketBlock(
           6, b.U32(5) + b.U32(0) + b.U32(0) + b.U32(8) + b.U32(8) + data),
       "packet on interface 5"},
      {"caplen_past_block",
       OnePacketBlock(
           6, b.U32(0) + b.U32(0) + b.U32(0) + b.U32(9) + b.U32(9) + data),
       "captured length 9 runs past its block"},
      {"short_epb", OnePacketBlock(6, b.U32(0) + b.U32(0)),
       "enhanced packet block too short"},
      {"odd_length", OnePacketBlock(6, data + "abc"), "invalid length 23"},
  };
  for (const auto& c : cases) {
    const std::string path = WriteFile(c.name + ".pcapng", c.bytes);
    const Read r = ReadAll(path);
    EXPECT_TRUE(r.frames.empty()) << c.name;
    EXPECT_NE(r.error.message().find(c.error), std::string::npos)
        << c.name << ": " << r.error;
  }
}

TEST(PcapngReaderTest, FilesWithoutAnInterfaceDoNotOpen) {
  PcapngBuilder b;
  b.Section(false);
  const std::string only_header = WriteFile("header.pcapng", b.bytes());
  auto reader = CaptureReader::Open(only_header);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("no Interface Description Block"),
            std::string::npos)
      << reader.status();

  b.Enhanced(0, 1, kTcpEth);
  reader = CaptureReader::Open(WriteFile("early.pcapng", b.bytes()));
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("before any Interface"),
            std::string::npos)
      << reader.status();
}

// Every prefix of the mixed file, and the file with bytes changed at
// random: reading stops, with or without an error, and never crashes or
// reads outside its buffer (meaningful under -fsanitize=address).
TEST(PcapngReaderTest, CutsAndCorruptionNeverCrash) {
  const std::string full = MixedFile();
  const std::string path = TempPath("fuzz.pcapng");
  for (size_t n = 0; n <= full.size(); ++n) {
    WriteFile("fuzz.pcapng", full.substr(0, n));
    auto reader = CaptureReader::Open(path);
    if (!reader.ok()) continue;
    CapturedFrame frame;
    size_t frames = 0;
    while ((*reader)->Next(&frame)) ++frames;
    EXPECT_LE(frames, 5u);
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string bytes = full;
    for (int i = 0; i < 4; ++i) {
      bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    WriteFile("fuzz.pcapng", bytes);
    auto reader = CaptureReader::Open(path);
    if (!reader.ok()) continue;
    CapturedFrame frame;
    size_t frames = 0;
    while ((*reader)->Next(&frame) && frames < 100) ++frames;
  }
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
