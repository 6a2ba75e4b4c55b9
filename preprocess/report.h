#ifndef PKTGRID_PREPROCESS_REPORT_H_
#define PKTGRID_PREPROCESS_REPORT_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "preprocess/decode.h"

namespace pktgrid {
namespace preprocess {

// What happened to one capture file.
struct FileSummary {
  std::string path;
  std::string sha256;
  std::string error;  // open or read error (naming the file); "" if none
  // The file's link type (libpcap DLT_ value); for pcapng the first
  // interface's. Frames are decoded with their own interface's, counted in
  // link_types.
  int link_type = -1;
  std::map<int, uint64_t> link_types;  // frames per link type
  uint64_t frames = 0;                 // frames read
  uint64_t snapped = 0;  // frames cut by the snap length (still decoded)
  // Frames per decode outcome; [kOk] is the decoded TCP/UDP packets, the
  // rest were set aside for that reason.
  std::array<uint64_t, static_cast<size_t>(DecodeOutcome::kNumOutcomes)>
      outcomes{};
  uint64_t bytes = 0;            // captured bytes of all frames
  uint64_t tunnelled = 0;        // decoded packets taken out of a tunnel
  uint64_t payload_packets = 0;  // decoded packets with application payload
  uint64_t flows = 0;
  uint64_t guessed_flows = 0;  // flows whose label nDPI guessed on giving up
  // Payload packets per nDPI label (before drops and merges).
  std::map<std::string, uint64_t> labels;

  uint64_t decoded() const { return outcomes[0]; }
};

// One combination of what nDPI recorded for flows, with how many flows had
// it and their payload packets.
struct LabelDetail {
  std::string label;  // app if known, else master
  std::string master;
  std::string app;
  std::string category;
  std::string confidence;
  bool guessed = false;
  uint64_t flows = 0;
  uint64_t payload_packets = 0;
};

// How many validation/test rows come from flows that also have rows in the
// training part: near-duplicates that inflate test accuracy.
struct SplitLeakage {
  uint64_t val_test_rows = 0;
  uint64_t leaked_rows = 0;   // val/test rows whose flow is also in train
  uint64_t leaked_flows = 0;  // flows with rows in train and in val/test
};

struct ClassSummary {
  std::string name;
  uint64_t available = 0;  // payload packets with this class (capped per flow)
  uint64_t taken = 0;
  std::array<uint64_t, 3> per_split{};  // train, val, test
};

struct PreprocessReport {
  std::vector<FileSummary> files;
  std::vector<std::string> errors;  // one line per unreadable file
  // Every class left after merges and drops, with its population.
  std::map<std::string, uint64_t> available;
  std::vector<ClassSummary> classes;  // the dataset's classes, by label code
  // Per label detail, most payload packets first.
  std::vector<LabelDetail> label_details;
  uint64_t excluded_guessed_flows = 0;  // with exclude_guessed
  uint64_t excluded_guessed_packets = 0;
  // Leakage of the split that was used, and of the other mode on the same
  // rows (packet split vs flow split), so the difference is visible.
  SplitLeakage leakage_packet_split;
  SplitLeakage leakage_flow_split;
  uint64_t rows = 0;
  std::string dataset_path;
  std::string dataset_sha256;
  std::string manifest_path;  // "" when not written
  std::string ndpi_version;
  double seconds = 0;
};

// Human-readable tables: per file, then per class and split.
std::string FormatFileSummaries(const PreprocessReport& report);
// per_file = false leaves out the per-file rows (errors still show).
std::string FormatReport(const PreprocessReport& report, bool per_file = true);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_REPORT_H_
