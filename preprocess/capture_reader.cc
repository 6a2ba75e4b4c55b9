#include "preprocess/capture_reader.h"

#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace preprocess {
namespace {

// Whether the file starts with a pcapng Section Header Block's type, which
// reads the same in either byte order. Anything else (including files that
// cannot be opened) goes to libpcap, whose messages name the problem.
bool IsPcapng(const std::string& path) {
  FILE* file = fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  static constexpr unsigned char kMagic[4] = {0x0A, 0x0D, 0x0D, 0x0A};
  unsigned char magic[4] = {};
  const bool match = fread(magic, 1, sizeof(magic), file) == sizeof(magic) &&
                     memcmp(magic, kMagic, sizeof(magic)) == 0;
  fclose(file);
  return match;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CaptureReader>> CaptureReader::Open(
    const std::string& path) {
  if (IsPcapng(path)) {
    auto pcapng = PcapngReader::Open(path);
    if (!pcapng.ok()) return pcapng.status();
    return std::unique_ptr<CaptureReader>(
        new CaptureReader(path, std::move(*pcapng)));
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // Nanosecond precision: libpcap scales microsecond files up, so one code
  // path handles both and nothing is rounded twice.
  pcap_t* handle = pcap_open_offline_with_tstamp_precision(
      path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (handle == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot open capture: ", errbuf));
  }
  return std::unique_ptr<CaptureReader>(new CaptureReader(path, handle));
}

CaptureReader::CaptureReader(std::string path, pcap_t* handle)
    : path_(std::move(path)), handle_(handle) {
  link_type_ = pcap_datalink(handle);
  nanoseconds_ =
      pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO;
}

CaptureReader::CaptureReader(std::string path,
                             std::unique_ptr<PcapngReader> pcapng)
    : path_(std::move(path)),
      pcapng_(std::move(pcapng)),
      link_type_(pcapng_->link_type()) {}

bool CaptureReader::NextPcap(CapturedFrame* frame) {
  if (!error_.ok()) return false;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(handle_.get(), &header, &data);
  if (rc == 1) {
    frame->data = data;
    frame->caplen = header->caplen;
    frame->wire_len = header->len;
    const uint64_t sub = static_cast<uint64_t>(header->ts.tv_usec);
    frame->time_us = static_cast<uint64_t>(header->ts.tv_sec) * 1000000u +
                     (nanoseconds_ ? sub / 1000u : sub);
    frame->link_type = link_type_;
    return true;
  }
  if (rc == PCAP_ERROR) {
    error_ = absl::DataLossError(
        absl::StrCat(path_, ": read error: ", pcap_geterr(handle_.get())));
  }
  return false;  // PCAP_ERROR_BREAK: clean end of file
}

}  // namespace preprocess
}  // namespace pktgrid
