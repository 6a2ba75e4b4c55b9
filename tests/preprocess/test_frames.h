#ifndef PKTGRID_TESTS_PREPROCESS_TEST_FRAMES_H_
#define PKTGRID_TESTS_PREPROCESS_TEST_FRAMES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pktgrid {
namespace testing {

// Hand-built headers for decoder tests. Addresses and ports are fixed:
// 10.0.0.1:40000 -> 10.0.0.2:443 (IPv4), 2001:db8::1 -> 2001:db8::2 (IPv6).

// TCP header of `data_offset_words` 32-bit words (options are NOP-filled
// with a recognisable tail), flags PSH|ACK, then `payload`.
std::string Tcp(uint8_t data_offset_words, const std::string& payload);
std::string Udp(const std::string& payload);
// UDP with the given ports (checksum 0): tunnel carriers.
std::string UdpPorts(uint16_t src, uint16_t dst, const std::string& payload);
// IPv4 header (20 bytes + `options`) around `l4`; `frag` is the
// flags/fragment-offset field.
std::string Ipv4(uint8_t proto, const std::string& l4, uint16_t frag = 0x4000,
                 const std::string& options = "");
// IPv6 header; `next` is the first next-header value, `rest` everything after
// the fixed header (extension headers + transport).
std::string Ipv6(uint8_t next, const std::string& rest);
// Ethernet II with optional tags (TPID, TCI) between the MACs and the type.
std::string Ethernet(
    uint16_t type, const std::string& payload,
    const std::vector<std::pair<uint16_t, uint16_t>>& tags = {});
// Linux cooked capture v1 header for protocol `type`.
std::string Sll(uint16_t type, const std::string& payload);
// Linux cooked capture v2 header.
std::string Sll2(uint16_t type, const std::string& payload);
// BSD loopback header with family `family`, little- or big-endian.
std::string Null(uint32_t family, bool little_endian, const std::string& ip);

// Bytes 0x41, 0x42, ... (n of them).
std::string Letters(size_t n);

}  // namespace testing
}  // namespace pktgrid

#endif  // PKTGRID_TESTS_PREPROCESS_TEST_FRAMES_H_
