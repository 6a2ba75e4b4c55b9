#include "preprocess/pcap_writer.h"

#include <utility>

namespace pktgrid {
namespace preprocess {
namespace {

void PutLe32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>(v >> (8 * i));
}
void PutLe16(std::string& s, uint16_t v) {
  s += static_cast<char>(v);
  s += static_cast<char>(v >> 8);
}
void PutBe16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v);
}
void PutBe32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s += static_cast<char>(v >> (8 * i));
}

// RFC 1071 one's-complement sum, folded; `sum` carries a pseudo-header.
uint16_t Checksum(absl::string_view data, uint32_t sum) {
  for (size_t i = 0; i + 1 < data.size(); i += 2) {
    sum +=
        static_cast<uint8_t>(data[i]) << 8 | static_cast<uint8_t>(data[i + 1]);
  }
  if (data.size() % 2) sum += static_cast<uint8_t>(data.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::string EthernetIpv4(const Ipv4Endpoints& ep, uint8_t proto, std::string l4,
                         uint16_t ip_id) {
  // Transport checksum over the pseudo-header and the segment.
  uint32_t pseudo = (ep.src_ip >> 16) + (ep.src_ip & 0xffff) +
                    (ep.dst_ip >> 16) + (ep.dst_ip & 0xffff) + proto +
                    static_cast<uint32_t>(l4.size());
  const size_t csum_at = proto == 6 ? 16 : 6;
  uint16_t csum = Checksum(l4, pseudo);
  if (proto == 17 && csum == 0) csum = 0xffff;
  l4[csum_at] = static_cast<char>(csum >> 8);
  l4[csum_at + 1] = static_cast<char>(csum);

  std::string ip;
  ip += '\x45';
  ip += '\0';
  PutBe16(ip, static_cast<uint16_t>(20 + l4.size()));
  PutBe16(ip, ip_id);
  PutBe16(ip, 0x4000);  // don't fragment
  ip += '\x40';         // TTL 64
  ip += static_cast<char>(proto);
  PutBe16(ip, 0);
  PutBe32(ip, ep.src_ip);
  PutBe32(ip, ep.dst_ip);
  const uint16_t ip_csum = Checksum(ip, 0);
  ip[10] = static_cast<char>(ip_csum >> 8);
  ip[11] = static_cast<char>(ip_csum);

  // Locally administered MACs derived from the addresses.
  std::string frame = {'\x02', '\0'};
  PutBe32(frame, ep.dst_ip);
  frame += '\x02';
  frame += '\0';
  PutBe32(frame, ep.src_ip);
  PutBe16(frame, 0x0800);
  return frame + ip + l4;
}

}  // namespace

PcapWriter::PcapWriter(uint32_t link_type) {
  PutLe32(out_, 0xa1b2c3d4);
  PutLe16(out_, 2);
  PutLe16(out_, 4);
  PutLe32(out_, 0);      // thiszone
  PutLe32(out_, 0);      // sigfigs
  PutLe32(out_, 65535);  // snaplen
  PutLe32(out_, link_type);
}

void PcapWriter::Add(uint64_t time_us, absl::string_view frame) {
  AddSnapped(time_us, frame, static_cast<uint32_t>(frame.size()));
}

void PcapWriter::AddSnapped(uint64_t time_us, absl::string_view frame,
                            uint32_t wire_len) {
  PutLe32(out_, static_cast<uint32_t>(time_us / 1000000));
  PutLe32(out_, static_cast<uint32_t>(time_us % 1000000));
  PutLe32(out_, static_cast<uint32_t>(frame.size()));
  PutLe32(out_, wire_len);
  out_.append(frame.data(), frame.size());
}

std::string EthernetIpv4Tcp(const Ipv4Endpoints& ep, uint32_t seq, uint32_t ack,
                            uint8_t flags, absl::string_view payload,
                            uint16_t ip_id) {
  std::string tcp;
  PutBe16(tcp, ep.src_port);
  PutBe16(tcp, ep.dst_port);
  PutBe32(tcp, seq);
  PutBe32(tcp, ack);
  tcp += '\x50';  // data offset 5 words
  tcp += static_cast<char>(flags);
  PutBe16(tcp, 64240);  // window
  PutBe16(tcp, 0);      // checksum, filled in below
  PutBe16(tcp, 0);      // urgent pointer
  tcp.append(payload.data(), payload.size());
  return EthernetIpv4(ep, 6, std::move(tcp), ip_id);
}

std::string EthernetIpv4Udp(const Ipv4Endpoints& ep, absl::string_view payload,
                            uint16_t ip_id) {
  std::string udp;
  PutBe16(udp, ep.src_port);
  PutBe16(udp, ep.dst_port);
  PutBe16(udp, static_cast<uint16_t>(8 + payload.size()));
  PutBe16(udp, 0);
  udp.append(payload.data(), payload.size());
  return EthernetIpv4(ep, 17, std::move(udp), ip_id);
}

}  // namespace preprocess
}  // namespace pktgrid
