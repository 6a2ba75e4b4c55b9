#include "preprocess/capture_processor.h"

#include <algorithm>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "preprocess/capture_reader.h"
#include "preprocess/decode.h"
#include "preprocess/features.h"
#include "preprocess/flow_table.h"

namespace pktgrid {
namespace preprocess {
namespace {

struct FlowState {
  explicit FlowState(uint32_t flow_id) : id(flow_id) {}
  uint32_t id;
  NdpiFlow ndpi;
  uint8_t fin_sides = 0;  // bit 0: lower endpoint sent FIN, bit 1: higher
  uint32_t taken = 0;     // payload packets turned into rows (max_per_flow)
  uint64_t payload_packets = 0;
  bool resolved = false;           // the class below is final
  std::string class_name;          // "" = dropped or not selected
  std::vector<SampleRow> pending;  // rows waiting for the final label
};

using Table = FlowTable<FlowState>;

uint64_t Seconds(double s) { return static_cast<uint64_t>(s * 1e6); }

constexpr uint64_t kProgressEvery = 1 << 16;  // frames
// How long a closed TCP flow still takes late segments (TIME_WAIT-like).
constexpr double kClosedLingerS = 60;

}  // namespace

CaptureProcessor::CaptureProcessor(const PreprocessOptions& options,
                                   const LabelPolicy& policy,
                                   const ClassSelection& selection,
                                   ClassSampler* sampler)
    : options_(options),
      policy_(policy),
      selection_(selection),
      sampler_(sampler) {}

CaptureProcessor::~CaptureProcessor() = default;

std::vector<LabelDetail> CaptureProcessor::LabelDetails() const {
  std::vector<LabelDetail> out;
  out.reserve(details_.size());
  for (const auto& [key, c] : details_) {
    LabelDetail d;
    d.label = c.label.label;
    d.master = c.label.master;
    d.app = c.label.app;
    d.category = c.label.category;
    d.confidence = c.label.confidence;
    d.guessed = c.label.guessed;
    d.flows = c.flows;
    d.payload_packets = c.payload_packets;
    out.push_back(std::move(d));
  }
  // Most packets first; the names make the order deterministic.
  std::sort(out.begin(), out.end(),
            [](const LabelDetail& a, const LabelDetail& b) {
              return std::tie(b.payload_packets, b.flows, a.label, a.master,
                              a.app, a.category, a.confidence, a.guessed) <
                     std::tie(a.payload_packets, a.flows, b.label, b.master,
                              b.app, b.category, b.confidence, b.guessed);
            });
  return out;
}

FileSummary CaptureProcessor::Process(const std::string& path) {
  FileSummary summary;
  summary.path = path;
  auto reader = CaptureReader::Open(path);
  if (!reader.ok()) {
    summary.error = std::string(reader.status().message());
    return summary;
  }
  summary.link_type = (*reader)->link_type();
  // One nDPI module for all files (creating one costs far more than most
  // captures); its caches are emptied so files stay independent.
  if (module_ == nullptr || !module_->ResetForNewCapture()) {
    module_.reset();
    auto module_or = NdpiModule::Create();
    if (!module_or.ok()) {
      summary.error = path + ": " + std::string(module_or.status().message());
      return summary;
    }
    module_ = std::move(*module_or);
  }
  const NdpiModule& module = *module_;
  if (frame_labels_ != nullptr) *frame_labels_ = FrameLabels();

  // Once a flow's label is final its waiting rows go to the sampler (or
  // away, for dropped classes) and later rows skip the wait.
  auto resolve = [&](FlowState& flow, const FlowLabel& label) {
    flow.resolved = true;
    if (options_.exclude_guessed && label.guessed) {
      flow.class_name.clear();
    } else {
      flow.class_name = policy_.Map(label.label);
      if (!selection_.MayKeep(flow.class_name)) flow.class_name.clear();
    }
    if (!flow.class_name.empty()) {
      for (SampleRow& row : flow.pending) {
        sampler_->Add(flow.class_name, std::move(row));
      }
    }
    std::vector<SampleRow>().swap(flow.pending);
  };
  auto end_flow = [&](Table::Entry& entry) {
    FlowState& flow = entry.data;
    const FlowLabel& label = flow.ndpi.Finish(module);
    if (!flow.resolved) resolve(flow, label);
    if (flow.payload_packets > 0) {
      summary.labels[label.label] += flow.payload_packets;
    }
    ++summary.flows;
    if (label.guessed) {
      ++summary.guessed_flows;
      if (options_.exclude_guessed) {
        ++excluded_guessed_flows_;
        excluded_guessed_packets_ += flow.payload_packets;
      }
    }
    DetailCount& detail = details_[label.DetailKey()];
    if (detail.flows++ == 0) detail.label = label;
    detail.payload_packets += flow.payload_packets;
    if (frame_labels_ != nullptr) frame_labels_->flows[flow.id] = label;
  };

  DecodeOptions decode_options;
  decode_options.unwrap_udp_tunnels = !options_.tunnel_outer_view;
  Table table(Seconds(options_.idle_timeout_s),
              Seconds(std::min(kClosedLingerS, options_.idle_timeout_s)));
  const uint64_t max_duration_us = Seconds(options_.max_duration_s);
  uint64_t now_us = 0;
  CapturedFrame frame;
  DecodedPacket packet;
  // Frames per link type, without a map lookup per frame: link types change
  // only between pcapng interfaces.
  int counted_link = -1;
  uint64_t* link_frames = nullptr;
  while ((*reader)->Next(&frame)) {
    ++summary.frames;
    if (frame.link_type != counted_link) {
      counted_link = frame.link_type;
      link_frames = &summary.link_types[counted_link];
    }
    ++*link_frames;
    summary.bytes += frame.caplen;
    if (progress_ && summary.frames % kProgressEvery == 0) {
      progress_(summary.frames, summary.bytes);
    }
    if (frame.caplen < frame.wire_len) ++summary.snapped;
    // Timestamps that step back (merged captures) count as "no time passed",
    // as in ndpiReader, so expiry never runs backwards.
    now_us = std::max(now_us, frame.time_us);
    const DecodeOutcome outcome = DecodeFrame(
        frame.link_type, frame.data, frame.caplen, &packet, decode_options);
    ++summary.outcomes[static_cast<size_t>(outcome)];
    if (outcome != DecodeOutcome::kOk) continue;
    if (packet.tunnel != Tunnel::kNone) ++summary.tunnelled;

    table.ExpireIdle(now_us, end_flow);
    bool from_lo = false;
    const FlowKey key = MakeFlowKey(packet, &from_lo);
    Table::Entry* entry = table.Find(key);
    const bool tcp = packet.l4_proto == 6;
    // A new connection (a SYN without ACK) on the 5-tuple of a closed flow
    // starts a flow of its own.
    if (entry != nullptr &&
        (now_us - entry->first_us > max_duration_us ||
         (entry->closed && tcp &&
          (packet.tcp_flags & (kTcpSyn | kTcpAck)) == kTcpSyn))) {
      table.End(entry, end_flow);
      entry = nullptr;
    }
    if (entry == nullptr) {
      // An empty TCP segment without SYN (the last ACK of a teardown, a
      // keep-alive) would only open an empty flow; a flow whose SYN was not
      // captured opens with its first data segment instead.
      if (tcp && packet.payload_len == 0 && !(packet.tcp_flags & kTcpSyn)) {
        continue;
      }
      entry = table.Insert(key, now_us, next_flow_id_++);
    }
    table.Touch(entry, now_us);
    FlowState& flow = entry->data;

    if (!flow.ndpi.done() &&
        flow.ndpi.Process(module, packet.l3, packet.l3_len, now_us / 1000,
                          packet.l4_proto)) {
      resolve(flow, flow.ndpi.Finish(module));
    }

    if (packet.payload_len > 0) {
      ++summary.payload_packets;
      ++flow.payload_packets;
      if (frame_labels_ != nullptr) {
        frame_labels_->frames.emplace_back(summary.frames, flow.id);
      }
      // Rows of flows already known to be dropped are never built.
      if (flow.taken < options_.max_per_flow &&
          (!flow.resolved || !flow.class_name.empty())) {
        ++flow.taken;
        SampleRow row{ExtractFeatures(packet, options_.features), flow.id,
                      next_seq_++};
        if (!flow.resolved) {
          flow.pending.push_back(std::move(row));
        } else {
          sampler_->Add(flow.class_name, std::move(row));
        }
      }
    }

    // RST ends a flow; one FIN is a half-close (the other side may still
    // send data), so a flow ends once both sides have sent theirs.
    if (tcp) {
      if (packet.tcp_flags & kTcpFin) flow.fin_sides |= from_lo ? 1 : 2;
      if ((packet.tcp_flags & kTcpRst) || flow.fin_sides == 3) {
        table.Close(entry, now_us, end_flow);
      }
    }
  }
  if (!(*reader)->error().ok()) {
    summary.error = std::string((*reader)->error().message());
  }
  table.EndAll(end_flow);
  if (progress_) progress_(summary.frames, summary.bytes);
  return summary;
}

}  // namespace preprocess
}  // namespace pktgrid
