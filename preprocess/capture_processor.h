#ifndef PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_
#define PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "preprocess/label_policy.h"
#include "preprocess/ndpi_labeler.h"
#include "preprocess/options.h"
#include "preprocess/report.h"
#include "preprocess/sampler.h"

namespace pktgrid {
namespace preprocess {

// Per-packet labels of one capture, for comparing with a per-frame
// reference (tests, agreement checks). Filled only when asked for.
struct FrameLabels {
  // (frame number, 1-based, flow id) of every decoded TCP/UDP packet with
  // application payload that belongs to a flow.
  std::vector<std::pair<uint64_t, uint32_t>> frames;
  absl::flat_hash_map<uint32_t, FlowLabel> flows;  // by flow id
};

// Turns capture files into labelled feature rows: decode, track flows, label
// each flow with nDPI, and hand every kept payload packet to the sampler
// under its flow's final class. Rows wait in their flow only until nDPI's
// verdict is final (at most ~80 packets), then stream to the sampler, so
// memory stays bounded by live flows plus the sampler's cap. Once a flow's
// label is final nDPI is not called again for it: its later packets cost a
// hash-map lookup.
class CaptureProcessor {
 public:
  CaptureProcessor(const PreprocessOptions& options, const LabelPolicy& policy,
                   const ClassSelection& selection, ClassSampler* sampler);
  ~CaptureProcessor();

  // Processes one file; never fails as a whole: open/read errors land in
  // FileSummary::error and what was read before the error still counts.
  // Flows do not span files, and nDPI's caches are emptied between files.
  FileSummary Process(const std::string& path);

  // Optional: per-packet labels of the next Process() call go here.
  void set_frame_labels(FrameLabels* labels) { frame_labels_ = labels; }
  // Optional: called every few thousand frames with the running totals of
  // the current file (frames, bytes).
  void set_progress(std::function<void(uint64_t, uint64_t)> progress) {
    progress_ = std::move(progress);
  }

  // Flows and payload packets per label detail, over every file so far,
  // sorted by payload packets (most first).
  std::vector<LabelDetail> LabelDetails() const;
  // Flows (and their payload packets) whose guessed label was excluded.
  uint64_t excluded_guessed_flows() const { return excluded_guessed_flows_; }
  uint64_t excluded_guessed_packets() const {
    return excluded_guessed_packets_;
  }

 private:
  const PreprocessOptions& options_;
  const LabelPolicy& policy_;
  const ClassSelection& selection_;
  ClassSampler* sampler_;
  std::unique_ptr<NdpiModule> module_;
  FrameLabels* frame_labels_ = nullptr;
  std::function<void(uint64_t, uint64_t)> progress_;
  uint32_t next_flow_id_ = 0;  // unique across files
  uint64_t next_seq_ = 0;      // global packet order
  struct DetailCount {
    FlowLabel label;  // the first flow's, for the names
    uint64_t flows = 0;
    uint64_t payload_packets = 0;
  };
  absl::flat_hash_map<uint64_t, DetailCount> details_;  // by DetailKey()
  uint64_t excluded_guessed_flows_ = 0;
  uint64_t excluded_guessed_packets_ = 0;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_
