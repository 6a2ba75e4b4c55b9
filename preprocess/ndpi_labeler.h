#ifndef PKTGRID_PREPROCESS_NDPI_LABELER_H_
#define PKTGRID_PREPROCESS_NDPI_LABELER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

struct ndpi_detection_module_struct;
struct ndpi_flow_struct;

namespace pktgrid {
namespace preprocess {

// What nDPI concluded about one flow.
struct FlowLabel {
  std::string label;       // app protocol if known, else master (the paper)
  std::string master;      // e.g. "TLS"
  std::string app;         // e.g. "YouTube"
  std::string category;    // e.g. "Media"
  std::string confidence;  // e.g. "DPI", "Match by port"
  bool guessed = false;    // nDPI gave up and guessed (accepted, as the paper)
  // nDPI's numeric ids of the above, for cheap grouping.
  uint16_t master_id = 0;
  uint16_t app_id = 0;
  uint16_t category_id = 0;
  uint8_t confidence_id = 0;

  // The ids and the guessed flag packed into one integer.
  uint64_t DetailKey() const {
    return static_cast<uint64_t>(master_id) << 48 |
           static_cast<uint64_t>(app_id) << 32 |
           static_cast<uint64_t>(category_id) << 16 |
           static_cast<uint64_t>(confidence_id) << 8 | (guessed ? 1 : 0);
  }
};

// An nDPI 4.2 detection module with every protocol enabled. Creating one
// takes ~20 ms, so one module serves many captures: ResetForNewCapture()
// between captures empties nDPI's caches, so no capture's knowledge carries
// into another (as with ndpiReader's one module per file).
class NdpiModule {
 public:
  static absl::StatusOr<std::unique_ptr<NdpiModule>> Create();

  // Forgets what earlier captures taught the module. Returns false when
  // this build cannot (the library's module layout was not recognised);
  // the caller then creates a fresh module per capture.
  bool ResetForNewCapture();
  ~NdpiModule();
  NdpiModule(const NdpiModule&) = delete;
  NdpiModule& operator=(const NdpiModule&) = delete;

  ndpi_detection_module_struct* get() const { return module_; }
  std::string ProtocolName(uint16_t id) const;

  // "4.2.0" style version of the linked library (ndpi_revision()).
  static std::string Version();

 private:
  explicit NdpiModule(ndpi_detection_module_struct* module) : module_(module) {}
  ndpi_detection_module_struct* module_;
  bool resettable_ = false;
};

// Per-flow detection, driven like ndpiReader's reader_util.c: packets go to
// ndpi_detection_process_packet() until an application is found and nDPI
// wants no more (ndpi_extra_dissection_possible), or until 80 TCP / 24 UDP
// packets were seen; then, if still unknown, ndpi_detection_giveup() guesses.
// The nDPI flow state (several KB) is freed as soon as the label is final.
class NdpiFlow {
 public:
  NdpiFlow() = default;
  NdpiFlow(NdpiFlow&&) = default;
  NdpiFlow& operator=(NdpiFlow&&) = default;

  // Feeds one IP packet (IP header first) of the flow. Returns true once the
  // label is final; further calls do nothing.
  bool Process(const NdpiModule& module, const uint8_t* ip, uint32_t len,
               uint64_t time_ms, uint8_t l4_proto);
  bool done() const { return done_; }
  // Packets given to nDPI so far.
  uint32_t packets() const { return packets_; }

  // Ends detection (giving up if needed) and returns the label.
  const FlowLabel& Finish(const NdpiModule& module);

 private:
  struct FlowFree {
    void operator()(ndpi_flow_struct* flow) const;
  };
  void Complete(const NdpiModule& module);

  std::unique_ptr<ndpi_flow_struct, FlowFree> flow_;
  uint16_t master_ = 0;
  uint16_t app_ = 0;
  uint16_t category_ = 0;
  uint32_t packets_ = 0;
  uint8_t l4_proto_ = 0;
  bool done_ = false;
  FlowLabel label_;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_NDPI_LABELER_H_
