// The applications of the synthetic capture. Openings are real protocol
// messages (TLS ClientHello with SNI, HTTP request with Host, BitTorrent
// handshake, DNS query) so nDPI 4.2 labels the flows by deep inspection;
// data packets follow per-app size and byte-distribution recipes.

#include "preprocess/synth_apps.h"

#include <string>

namespace pktgrid {
namespace preprocess {
namespace {

void Be16(std::string& s, uint32_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v);
}
void Be24(std::string& s, uint32_t v) {
  s += static_cast<char>(v >> 16);
  Be16(s, v);
}
void RandomBytes(std::string& s, SynthRng& rng, size_t n) {
  for (size_t i = 0; i < n; ++i) s += static_cast<char>(rng.Byte());
}

// A TLS 1.2-style ClientHello record carrying `sni`, with the extensions a
// browser sends (nDPI parses them all, and JA3 needs them).
std::string ClientHello(SynthRng& rng, const std::string& sni) {
  std::string ext;
  // server_name
  Be16(ext, 0x0000);
  Be16(ext, static_cast<uint32_t>(sni.size() + 5));
  Be16(ext, static_cast<uint32_t>(sni.size() + 3));
  ext += '\0';
  Be16(ext, static_cast<uint32_t>(sni.size()));
  ext += sni;
  // supported_groups: x25519, secp256r1, secp384r1
  ext += std::string("\x00\x0a\x00\x08\x00\x06\x00\x1d\x00\x17\x00\x18", 12);
  // ec_point_formats: uncompressed
  ext += std::string("\x00\x0b\x00\x02\x01\x00", 6);
  // signature_algorithms
  ext += std::string(
      "\x00\x0d\x00\x0c\x00\x0a\x04\x03\x08\x04\x04\x01\x05\x03\x08\x05", 16);
  // ALPN: h2, http/1.1
  ext += std::string("\x00\x10\x00\x0e\x00\x0c\x02h2\x08http/1.1", 18);

  std::string body = "\x03\x03";
  RandomBytes(body, rng, 32);  // client random
  body += '\x20';              // session id
  RandomBytes(body, rng, 32);
  const char suites[] =
      "\xc0\x2b\xc0\x2f\xc0\x2c\xc0\x30\xcc\xa9\xcc\xa8\xc0\x13\xc0\x14"
      "\x00\x9c\x00\x9d\x00\x2f\x00\x35";
  Be16(body, sizeof(suites) - 1);
  body.append(suites, sizeof(suites) - 1);
  body += std::string("\x01\x00", 2);  // compression: null
  Be16(body, static_cast<uint32_t>(ext.size()));
  body += ext;

  std::string hs = "\x01";
  Be24(hs, static_cast<uint32_t>(body.size()));
  hs += body;
  std::string rec = "\x16\x03\x01";
  Be16(rec, static_cast<uint32_t>(hs.size()));
  return rec + hs;
}

// ServerHello (TLS 1.2, ECDHE-RSA-AES128-GCM) followed by a record of
// opaque handshake bytes standing in for the certificate chain.
std::string ServerHello(SynthRng& rng) {
  std::string body = "\x03\x03";
  RandomBytes(body, rng, 32);
  body += '\x20';
  RandomBytes(body, rng, 32);
  body += std::string("\xc0\x2f\x00", 3);
  Be16(body, 0);  // no extensions
  std::string hs = "\x02";
  Be24(hs, static_cast<uint32_t>(body.size()));
  hs += body;
  std::string rec = "\x16\x03\x03";
  Be16(rec, static_cast<uint32_t>(hs.size()));
  return rec + hs;
}

// A TLS application-data record whose body comes from `fill`.
template <typename Fill>
std::string AppData(size_t body_len, Fill fill) {
  std::string rec = "\x17\x03\x03";
  Be16(rec, static_cast<uint32_t>(body_len));
  for (size_t i = 0; i < body_len; ++i) rec += static_cast<char>(fill(i));
  return rec;
}

// --- per-app data recipes -------------------------------------------------

// Video streaming: near-MSS server segments of uniform ciphertext; small
// client range requests.
std::string YouTubeData(SynthRng& rng, bool from_server, uint32_t,
                        const std::string&) {
  const size_t len = from_server ? rng.Range(1300, 1395) : rng.Range(60, 120);
  return AppData(len, [&](size_t) { return rng.Byte(); });
}

// Feed: mid-size records whose plaintext shows through a weak recurring
// per-flow 16-byte pattern every 64 bytes.
std::string FacebookData(SynthRng& rng, bool from_server, uint32_t,
                         const std::string& key) {
  const size_t len = from_server ? rng.Range(400, 900) : rng.Range(150, 400);
  return AppData(len, [&](size_t i) -> uint8_t {
    return (i % 64) < 16 ? static_cast<uint8_t>(key[i % 16]) : rng.Byte();
  });
}

// Images: bytes concentrated in the low half (JPEG-like entropy-coded data
// rich in small values), sizes spread wide.
std::string InstagramData(SynthRng& rng, bool from_server, uint32_t,
                          const std::string&) {
  const size_t len = from_server ? rng.Range(700, 1380) : rng.Range(80, 300);
  return AppData(len, [&](size_t) -> uint8_t {
    const uint8_t a = rng.Byte(), b = rng.Byte();
    return a < b ? a : b;  // min of two: skewed toward 0
  });
}

// Large fixed-size chunks (full segments), a few tiny client acks.
std::string NetflixData(SynthRng& rng, bool from_server, uint32_t index,
                        const std::string&) {
  const size_t len = from_server ? 1383 : 37 + (index % 3) * 8;
  return AppData(len, [&](size_t) { return rng.Byte(); });
}

// Chat and presence: small records both ways, bytes skewed high (ASCII
// JSON after compression looks nothing like this, but it is learnable).
std::string TeamsData(SynthRng& rng, bool, uint32_t, const std::string& key) {
  const size_t len = rng.Range(90, 320);
  return AppData(len, [&](size_t i) -> uint8_t {
    return i < 8 ? static_cast<uint8_t>(key[i]) : (0x80 | rng.Byte());
  });
}

// BitTorrent peer wire: "piece" messages (id 7) with a 16 KiB block split
// across segments, and "have"/"request" messages from the client.
std::string BitTorrentData(SynthRng& rng, bool from_server, uint32_t index,
                           const std::string&) {
  std::string s;
  if (!from_server) {
    // request: len 13, id 6, index, begin, length 16384
    s += std::string("\x00\x00\x00\x0d\x06", 5);
    s += std::string("\x00\x00", 2);
    Be16(s, index);
    Be16(s, 0);
    Be16(s, (index % 4) * 0x4000 & 0xffff);
    s += std::string("\x00\x00\x40\x00", 4);
    return s;
  }
  s += std::string("\x00\x00\x40\x09\x07\x00\x00", 7);
  Be16(s, index);
  Be16(s, 0);
  Be16(s, (index % 4) * 0x4000 & 0xffff);
  RandomBytes(s, rng, rng.Range(1100, 1350));
  return s;
}

// Windows Update over HTTP: cabinet file bytes (zero-heavy binary with
// "MSCF" headers) after an HTTP response header.
std::string WindowsUpdateData(SynthRng& rng, bool from_server, uint32_t index,
                              const std::string&) {
  if (!from_server) {
    return "GET /c/msdownload/update/software/defu/2022/07/am_delta_" +
           std::to_string(index) +
           ".exe HTTP/1.1\r\nHost: download.windowsupdate.com\r\n"
           "Range: bytes=0-65535\r\n\r\n";
  }
  std::string s;
  if (index % 8 == 0) s += "MSCF";
  const size_t len = rng.Range(900, 1400);
  while (s.size() < len) {
    const uint8_t r = rng.Byte();
    s += static_cast<char>(r < 128 ? 0 : rng.Byte());
  }
  return s;
}

// Generic TLS (an SNI nDPI does not know): the paper drops this class.
std::string TlsData(SynthRng& rng, bool, uint32_t, const std::string&) {
  const size_t len = rng.Range(40, 1400);
  return AppData(len, [&](size_t) { return rng.Byte(); });
}

// DNS: further queries on the same socket.
std::string DnsQuery(SynthRng& rng, const std::string& name) {
  std::string q;
  Be16(q, rng.Range(0, 0xffff));
  q += std::string("\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10);
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    q += static_cast<char>(dot - start);
    q += name.substr(start, dot - start);
    start = dot + 1;
  }
  q += std::string("\x00\x00\x01\x00\x01", 5);
  return q;
}
std::string DnsData(SynthRng& rng, bool from_server, uint32_t index,
                    const std::string&) {
  std::string q =
      DnsQuery(rng, "host" + std::to_string(index) + ".pktgrid.example");
  if (from_server) q[2] = '\x81', q[3] = '\x80';  // a bare response
  return q;
}

// --- openings ---------------------------------------------------------------

std::string YouTubeOpen(SynthRng& r) {
  return ClientHello(r, "www.youtube.com");
}
std::string FacebookOpen(SynthRng& r) {
  return ClientHello(r, "www.facebook.com");
}
std::string InstagramOpen(SynthRng& r) {
  return ClientHello(r, "www.instagram.com");
}
std::string NetflixOpen(SynthRng& r) {
  return ClientHello(r, "www.netflix.com");
}
std::string TeamsOpen(SynthRng& r) {
  return ClientHello(r, "teams.microsoft.com");
}
std::string TlsOpen(SynthRng& r) {
  return ClientHello(r, "www.pktgrid.example");
}

std::string BitTorrentOpen(SynthRng& rng) {
  std::string s =
      "\x13"
      "BitTorrent protocol";
  s += std::string("\x00\x00\x00\x00\x00\x10\x00\x05", 8);  // reserved
  RandomBytes(s, rng, 20);                                  // info_hash
  s += "-qB4450-";                                          // peer_id
  RandomBytes(s, rng, 12);
  return s;
}

std::string WindowsUpdateOpen(SynthRng&) {
  return "GET /msdownload/update/v3/static/trustedr/en/authrootstl.cab "
         "HTTP/1.1\r\nConnection: Keep-Alive\r\nAccept: */*\r\n"
         "User-Agent: Microsoft-CryptoAPI/10.0\r\n"
         "Host: download.windowsupdate.com\r\n\r\n";
}
std::string WindowsUpdateReply(SynthRng&) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.ms-cab-compressed"
         "\r\nContent-Length: 1048576\r\nAccept-Ranges: bytes\r\n"
         "Server: Microsoft-IIS/10.0\r\n\r\n";
}

std::string DnsOpen(SynthRng& r) { return DnsQuery(r, "www.pktgrid.example"); }
std::string DnsReply(SynthRng& r) {
  std::string q = DnsQuery(r, "www.pktgrid.example");
  q[2] = '\x81', q[3] = '\x80';
  return q;
}

constexpr uint32_t Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

}  // namespace

absl::Span<const SynthApp> SynthApps() {
  // 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737) are in no nDPI IP list.
  // SynthApp is trivially destructible, so a static array is safe.
  static const SynthApp kApps[] = {
      {"youtube", "YouTube", false, 443, Ip(198, 51, 100, 10), YouTubeOpen,
       ServerHello, YouTubeData, 80},
      {"facebook", "Facebook", false, 443, Ip(198, 51, 100, 20), FacebookOpen,
       ServerHello, FacebookData, 60},
      {"instagram", "Instagram", false, 443, Ip(198, 51, 100, 30),
       InstagramOpen, ServerHello, InstagramData, 70},
      {"netflix", "NetFlix", false, 443, Ip(198, 51, 100, 40), NetflixOpen,
       ServerHello, NetflixData, 90},
      {"teams", "Teams", false, 443, Ip(198, 51, 100, 50), TeamsOpen,
       ServerHello, TeamsData, 50},
      {"bittorrent", "BitTorrent", false, 6881, Ip(203, 0, 113, 60),
       BitTorrentOpen, BitTorrentOpen, BitTorrentData, 75},
      {"windowsupdate", "WindowsUpdate", false, 80, Ip(203, 0, 113, 70),
       WindowsUpdateOpen, WindowsUpdateReply, WindowsUpdateData, 85},
      {"tls", "TLS", false, 443, Ip(203, 0, 113, 80), TlsOpen, ServerHello,
       TlsData, 50},
      {"dns", "DNS", true, 53, Ip(203, 0, 113, 90), DnsOpen, DnsReply, DnsData,
       50},
  };
  return kApps;
}

}  // namespace preprocess
}  // namespace pktgrid
