#ifndef PKTGRID_PREPROCESS_CAPTURE_READER_H_
#define PKTGRID_PREPROCESS_CAPTURE_READER_H_

#include <pcap/pcap.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "preprocess/captured_frame.h"
#include "preprocess/pcapng_reader.h"

namespace pktgrid {
namespace preprocess {

// Reads a capture file, told apart by its magic number whatever it is
// called: classic pcap (micro- and nanosecond, either byte order) with
// libpcap, pcapng with PcapngReader. libpcap 1.10 gives one link type per
// pcapng file and stops at the first interface whose link type differs
// from the first one's; PcapngReader gives each frame its interface's link
// type, so pcapng never goes through libpcap.
class CaptureReader {
 public:
  // Fails with the file name and the reason when the file cannot be
  // opened or does not start with a capture header.
  static absl::StatusOr<std::unique_ptr<CaptureReader>> Open(
      const std::string& path);

  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // The file's link type; for pcapng the first interface's (frames carry
  // their own in CapturedFrame::link_type).
  int link_type() const { return link_type_; }
  const std::string& path() const { return path_; }

  // Returns true and fills `frame` for each frame; false at the end of the
  // file or on a read error, after which error() tells which (OK at a clean
  // end; a truncated last record or a corrupt block is an error naming the
  // file). Frames before an error are returned as usual.
  bool Next(CapturedFrame* frame) {
    return pcapng_ != nullptr ? pcapng_->Next(frame) : NextPcap(frame);
  }
  const absl::Status& error() const {
    return pcapng_ != nullptr ? pcapng_->error() : error_;
  }

 private:
  struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };

  CaptureReader(std::string path, pcap_t* handle);
  CaptureReader(std::string path, std::unique_ptr<PcapngReader> pcapng);
  bool NextPcap(CapturedFrame* frame);

  std::string path_;
  // Exactly one of the two is set.
  std::unique_ptr<pcap_t, PcapCloser> handle_;
  std::unique_ptr<PcapngReader> pcapng_;
  int link_type_ = 0;
  bool nanoseconds_ = false;
  absl::Status error_;  // libpcap's; PcapngReader keeps its own
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CAPTURE_READER_H_
