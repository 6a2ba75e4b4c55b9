#ifndef PKTGRID_PREPROCESS_PCAP_WRITER_H_
#define PKTGRID_PREPROCESS_PCAP_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace pktgrid {
namespace preprocess {

// Builds a classic little-endian microsecond pcap file (link type Ethernet)
// in memory. Used by the synthetic capture generator and by tests.
class PcapWriter {
 public:
  explicit PcapWriter(uint32_t link_type = 1);
  void Add(uint64_t time_us, absl::string_view frame);
  // Adds a record whose captured length is `caplen` but whose on-wire
  // length is `wire_len` (tests of snapped frames).
  void AddSnapped(uint64_t time_us, absl::string_view frame, uint32_t wire_len);
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// One IPv4 TCP or UDP packet inside an Ethernet frame, with correct IP and
// transport checksums.
struct Ipv4Endpoints {
  uint32_t src_ip = 0;  // host order, e.g. 0x0a000001 for 10.0.0.1
  uint32_t dst_ip = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
};

std::string EthernetIpv4Tcp(const Ipv4Endpoints& ep, uint32_t seq, uint32_t ack,
                            uint8_t flags, absl::string_view payload,
                            uint16_t ip_id);
std::string EthernetIpv4Udp(const Ipv4Endpoints& ep, absl::string_view payload,
                            uint16_t ip_id);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_PCAP_WRITER_H_
