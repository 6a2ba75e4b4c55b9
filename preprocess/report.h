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
  int link_type = -1;
  uint64_t frames = 0;   // frames read
  uint64_t snapped = 0;  // frames cut by the snap length (still decoded)
  // Frames per decode outcome; [kOk] is the decoded TCP/UDP packets, the
  // rest were set aside for that reason.
  std::array<uint64_t, static_cast<size_t>(DecodeOutcome::kNumOutcomes)>
      outcomes{};
  uint64_t payload_packets = 0;  // decoded packets with application payload
  uint64_t flows = 0;
  // Payload packets per nDPI label (before drops and merges).
  std::map<std::string, uint64_t> labels;

  uint64_t decoded() const { return outcomes[0]; }
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
  uint64_t rows = 0;
  std::string dataset_path;
  std::string dataset_sha256;
  std::string manifest_path;  // "" when not written
  std::string ndpi_version;
  double seconds = 0;
};

// Human-readable tables: per file, then per class and split.
std::string FormatFileSummaries(const PreprocessReport& report);
std::string FormatReport(const PreprocessReport& report);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_REPORT_H_
