#include "tests/preprocess/test_frames.h"

namespace pktgrid {
namespace testing {
namespace {

void Be16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v);
}

}  // namespace

std::string Letters(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>(0x41 + i % 26);
  return s;
}

std::string Tcp(uint8_t data_offset_words, const std::string& payload) {
  std::string t;
  Be16(t, 40000);
  Be16(t, 443);
  t += std::string("\x11\x22\x33\x44\x55\x66\x77\x88", 8);  // seq, ack
  t += static_cast<char>(data_offset_words << 4);
  t += '\x18';                                            // PSH|ACK
  t += std::string("\xff\xff\xab\xcd\x00\x00", 6);        // window, csum, urg
  while (t.size() < data_offset_words * 4u) t += '\x01';  // NOP options
  if (t.size() > 20) t.back() = '\x7e';  // recognisable last option byte
  return t + payload;
}

std::string Udp(const std::string& payload) {
  std::string u;
  Be16(u, 40000);
  Be16(u, 53);
  Be16(u, static_cast<uint16_t>(8 + payload.size()));
  Be16(u, 0xbeef);
  return u + payload;
}

std::string UdpPorts(uint16_t src, uint16_t dst, const std::string& payload) {
  std::string u;
  Be16(u, src);
  Be16(u, dst);
  Be16(u, static_cast<uint16_t>(8 + payload.size()));
  Be16(u, 0);
  return u + payload;
}

std::string Ipv4(uint8_t proto, const std::string& l4, uint16_t frag,
                 const std::string& options) {
  std::string ip;
  ip += static_cast<char>(0x40 | (5 + options.size() / 4));
  ip += '\0';
  Be16(ip, static_cast<uint16_t>(20 + options.size() + l4.size()));
  Be16(ip, 0x1234);
  Be16(ip, frag);
  ip += '\x40';
  ip += static_cast<char>(proto);
  Be16(ip, 0);
  ip += std::string("\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
  return ip + options + l4;
}

std::string Ipv6(uint8_t next, const std::string& rest) {
  std::string ip("\x60\x00\x00\x00", 4);
  Be16(ip, static_cast<uint16_t>(rest.size()));
  ip += static_cast<char>(next);
  ip += '\x40';
  std::string a(16, '\0'), b(16, '\0');
  a[0] = b[0] = '\x20';
  a[1] = b[1] = '\x01';
  a[2] = b[2] = '\x0d';
  a[3] = b[3] = '\xb8';
  a[15] = 1;
  b[15] = 2;
  return ip + a + b + rest;
}

std::string Ethernet(uint16_t type, const std::string& payload,
                     const std::vector<std::pair<uint16_t, uint16_t>>& tags) {
  std::string e("\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
  for (const auto& [tpid, tci] : tags) {
    Be16(e, tpid);
    Be16(e, tci);
  }
  Be16(e, type);
  return e + payload;
}

std::string Sll(uint16_t type, const std::string& payload) {
  std::string s("\x00\x00\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01\x00\x00", 14);
  Be16(s, type);
  return s + payload;
}

std::string Sll2(uint16_t type, const std::string& payload) {
  std::string s;
  Be16(s, type);
  s += std::string("\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06", 10);
  s += std::string("\x02\x00\x00\x00\x00\x01\x00\x00", 8);
  return s + payload;
}

std::string Null(uint32_t family, bool little_endian, const std::string& ip) {
  std::string h;
  for (int i = 0; i < 4; ++i) {
    const int shift = little_endian ? 8 * i : 8 * (3 - i);
    h += static_cast<char>(family >> shift);
  }
  return h + ip;
}

}  // namespace testing
}  // namespace pktgrid
