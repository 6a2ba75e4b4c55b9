#ifndef PKTGRID_PREPROCESS_CAPTURE_READER_H_
#define PKTGRID_PREPROCESS_CAPTURE_READER_H_

#include <pcap/pcap.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pktgrid {
namespace preprocess {

// One captured frame. `data` stays valid until the next call to Next().
struct CapturedFrame {
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;    // bytes present in the file
  uint32_t wire_len = 0;  // bytes on the wire (> caplen when snapped)
  uint64_t time_us = 0;   // capture time in microseconds since the epoch
};

// Reads a capture file with libpcap. pcap_open_offline() recognises classic
// pcap (micro- and nanosecond) and pcapng by the magic number, whatever the
// file is called. libpcap 1.10 gives one link type per file: a pcapng file
// whose later interfaces have a different link type than the first stops
// with an error at that interface, which Next() reports like any other read
// error (frames read before it are kept).
class CaptureReader {
 public:
  // Fails with the file name and libpcap's reason when the file cannot be
  // opened or its header is not a capture header.
  static absl::StatusOr<std::unique_ptr<CaptureReader>> Open(
      const std::string& path);

  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  int link_type() const { return link_type_; }
  const std::string& path() const { return path_; }

  // Returns true and fills `frame` for each frame; false at the end of the
  // file or on a read error, after which error() tells which (OK at a clean
  // end; a truncated last record or a corrupt block is an error naming the
  // file).
  bool Next(CapturedFrame* frame);
  const absl::Status& error() const { return error_; }

 private:
  struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };

  CaptureReader(std::string path, pcap_t* handle);

  std::string path_;
  std::unique_ptr<pcap_t, PcapCloser> handle_;
  int link_type_ = 0;
  bool nanoseconds_ = false;
  absl::Status error_;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CAPTURE_READER_H_
