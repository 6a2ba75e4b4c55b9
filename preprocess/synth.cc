#include "preprocess/synth.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "preprocess/pcap_writer.h"
#include "preprocess/synth_apps.h"

namespace pktgrid {
namespace preprocess {
namespace {

constexpr uint64_t kStartUs = 1656633600ull * 1000000;  // 2022-07-01 UTC
constexpr uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

struct TimedFrame {
  uint64_t time_us;
  uint64_t order;  // tie-break: generation order
  std::string frame;
};

// Emits the packets of one flow with increasing timestamps.
class FlowBuilder {
 public:
  FlowBuilder(Ipv4Endpoints client, SynthRng& rng, uint64_t start_us,
              std::vector<TimedFrame>* out)
      : rng_(rng), time_us_(start_us), out_(out) {
    c2s_ = client;
    s2c_ = {client.dst_ip, client.src_ip, client.dst_port, client.src_port};
    seq_[0] = static_cast<uint32_t>(rng.Next());
    seq_[1] = static_cast<uint32_t>(rng.Next());
    ip_id_[0] = static_cast<uint16_t>(rng.Next());
    ip_id_[1] = static_cast<uint16_t>(rng.Next());
  }

  // from_server: 0 = client to server, 1 = server to client.
  void Tcp(int from_server, uint8_t flags, const std::string& payload) {
    const Ipv4Endpoints& ep = from_server ? s2c_ : c2s_;
    const uint32_t ack = (flags & kAck) ? seq_[1 - from_server] : 0;
    Emit(EthernetIpv4Tcp(ep, seq_[from_server], ack, flags, payload,
                         ip_id_[from_server]++));
    seq_[from_server] += static_cast<uint32_t>(payload.size());
    if (flags & (kSyn | kFin)) ++seq_[from_server];
  }

  void Udp(int from_server, const std::string& payload) {
    Emit(EthernetIpv4Udp(from_server ? s2c_ : c2s_, payload,
                         ip_id_[from_server]++));
  }

 private:
  void Emit(std::string frame) {
    out_->push_back({time_us_, out_->size(), std::move(frame)});
    time_us_ += rng_.Range(200, 8000);
  }

  SynthRng& rng_;
  uint64_t time_us_;
  std::vector<TimedFrame>* out_;
  Ipv4Endpoints c2s_, s2c_;
  uint32_t seq_[2];
  uint16_t ip_id_[2];
};

void BuildFlow(const SynthApp& app, uint32_t app_index, uint32_t flow_index,
               const SynthOptions& options, uint64_t start_us,
               std::vector<TimedFrame>* out) {
  // Each flow has its own stream, so adding apps or flows does not change
  // the bytes of the others.
  SynthRng rng(options.seed * 0x100000001b3ull + app_index * 1000003ull +
               flow_index);
  Ipv4Endpoints client;
  client.src_ip = 10u << 24 | (app_index + 1) << 16 | (flow_index / 250) << 8 |
                  (flow_index % 250 + 1);
  client.dst_ip = app.server_ip;
  client.src_port = static_cast<uint16_t>(rng.Range(40000, 60999));
  client.dst_port = app.server_port;
  std::string key;
  for (int i = 0; i < 16; ++i) key += static_cast<char>(rng.Byte());

  FlowBuilder flow(client, rng, start_us, out);
  if (app.udp) {
    flow.Udp(0, app.client_open(rng));
    flow.Udp(1, app.server_open(rng));
    for (uint32_t i = 0; i < options.packets_per_flow; ++i) {
      const int from_server = i % 2;
      flow.Udp(from_server, app.data(rng, from_server, i, key));
    }
    return;
  }
  flow.Tcp(0, kSyn, "");
  flow.Tcp(1, kSyn | kAck, "");
  flow.Tcp(0, kAck, "");
  flow.Tcp(0, kPsh | kAck, app.client_open(rng));
  flow.Tcp(1, kPsh | kAck, app.server_open(rng));
  for (uint32_t i = 0; i < options.packets_per_flow; ++i) {
    const int from_server = rng.Range(0, 99) < app.server_share_pct ? 1 : 0;
    flow.Tcp(from_server, kPsh | kAck, app.data(rng, from_server, i, key));
  }
  flow.Tcp(0, kFin | kAck, "");
  flow.Tcp(1, kFin | kAck, "");
  flow.Tcp(0, kAck, "");
}

}  // namespace

std::vector<std::string> SynthAppNames() {
  std::vector<std::string> names;
  for (const SynthApp& app : SynthApps()) names.push_back(app.name);
  return names;
}

std::string SynthExpectedLabel(const std::string& app) {
  for (const SynthApp& a : SynthApps()) {
    if (app == a.name) return a.expected_label;
  }
  return "";
}

absl::StatusOr<std::string> SynthCaptureBytes(const SynthOptions& options) {
  const std::vector<std::string> names =
      options.apps.empty() ? SynthAppNames() : options.apps;
  std::vector<uint32_t> chosen;
  const auto apps = SynthApps();
  for (const std::string& name : names) {
    auto it = std::find_if(apps.begin(), apps.end(),
                           [&](const SynthApp& a) { return name == a.name; });
    if (it == apps.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown synthetic app '", name,
          "' (known: ", absl::StrJoin(SynthAppNames(), ", "), ")"));
    }
    chosen.push_back(static_cast<uint32_t>(it - apps.begin()));
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());

  // Flow starts are spread over a window so flows of all apps interleave.
  std::vector<TimedFrame> frames;
  SynthRng starts(options.seed ^ 0x5eed5eed5eedull);
  const uint64_t window_us =
      50000ull * options.flows_per_app * chosen.size() + 1;
  for (uint32_t a : chosen) {
    for (uint32_t f = 0; f < options.flows_per_app; ++f) {
      const uint64_t start = kStartUs + starts.Next() % window_us;
      BuildFlow(apps[a], a, f, options, start, &frames);
    }
  }
  std::stable_sort(frames.begin(), frames.end(),
                   [](const TimedFrame& x, const TimedFrame& y) {
                     return x.time_us != y.time_us ? x.time_us < y.time_us
                                                   : x.order < y.order;
                   });
  PcapWriter writer;
  for (const TimedFrame& f : frames) writer.Add(f.time_us, f.frame);
  return writer.bytes();
}

absl::Status WriteSynthCapture(const std::string& path,
                               const SynthOptions& options) {
  auto bytes = SynthCaptureBytes(options);
  if (!bytes.ok()) return bytes.status();
  std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(path.c_str(), "wb"), fclose);
  if (f == nullptr) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot create"));
  }
  if (fwrite(bytes->data(), 1, bytes->size(), f.get()) != bytes->size() ||
      fclose(f.release()) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": write failed"));
  }
  return absl::OkStatus();
}

}  // namespace preprocess
}  // namespace pktgrid
