#ifndef PKTGRID_PREPROCESS_PCAPNG_READER_H_
#define PKTGRID_PREPROCESS_PCAPNG_READER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "preprocess/captured_frame.h"

namespace pktgrid {
namespace preprocess {

// Streams a pcapng file block by block. Written because libpcap 1.10 gives
// one link type per file and stops at the first interface whose link type
// differs from the first one's; here every frame carries its own
// interface's link type, so such files read to the end.
//
// Understands Section Header Blocks (either byte order, any number of
// sections, each with its own interfaces), Interface Description Blocks
// (link type, snap length, if_tsresol in both its power-of-10 and
// power-of-2 forms, if_tsoffset), Enhanced, Simple (the section's first
// interface, no timestamp: time 0) and the obsolete Packet Blocks; link
// types are mapped to libpcap's DLT_ values. Every other block (name
// resolution, interface statistics, decryption secrets, custom, ...) is
// skipped. Every block's leading and trailing lengths must agree and every
// field must lie inside its block; the first block that breaks a rule, or that
// the file's end cuts short, ends the file with an error naming the file, the
// block's offset and the rule, after the frames before it were returned.
//
// The file is read in chunks of a few hundred KiB; memory is bounded by the
// largest block (at most 16 MiB, libpcap's limit).
class PcapngReader {
 public:
  // Opens `path` and reads up to the first Interface Description Block, so
  // link_type() is known. Fails, naming `path`, when the file cannot be
  // opened, does not start with a valid Section Header Block, or has no
  // interface before its first packet.
  static absl::StatusOr<std::unique_ptr<PcapngReader>> Open(
      const std::string& path);

  PcapngReader(const PcapngReader&) = delete;
  PcapngReader& operator=(const PcapngReader&) = delete;

  // The first interface's link type (libpcap DLT_ value); frames carry
  // their own.
  int link_type() const { return first_link_type_; }

  // Returns true and fills `frame` for each packet; false at the end of the
  // file or at the first bad block, after which error() tells which.
  bool Next(CapturedFrame* frame);
  const absl::Status& error() const { return error_; }

 private:
  struct Block {
    uint32_t type = 0;
    const uint8_t* body = nullptr;  // after type and length, before trailer
    uint32_t body_len = 0;
    uint64_t offset = 0;  // in the file, for error messages
    bool swapped = false;
  };
  struct Interface {
    int link_type = 0;  // DLT_ value
    uint32_t snaplen = 0;
    // if_tsresol as the cheapest exact conversion of a tick count to
    // microseconds: ticks / divide_by * multiply_by for powers of 10
    // (default 10^-6: both 1), or via seconds and fraction for 2^-n.
    uint64_t divide_by = 1;
    uint64_t multiply_by = 1;
    uint64_t binary_ticks_per_s = 0;  // 2^n, or 0 for powers of 10
    int64_t offset_us = 0;            // if_tsoffset
  };

  struct FileCloser {
    void operator()(FILE* f) const { fclose(f); }
  };
  using File = std::unique_ptr<FILE, FileCloser>;

  PcapngReader(std::string path, File file);

  // Makes at least `n` bytes readable at buffer_[begin_]; returns how many
  // are (fewer only at the end of the file or on a read error).
  size_t Fill(size_t n);
  // The first section header and the blocks up to the first interface.
  bool ReadHeader();
  // The next whole, length-checked block; false at a clean end of the file
  // (error_ stays OK) or on a bad block (error_ says why).
  bool ReadBlock(Block* block);
  bool StartSection(const Block& block);
  bool AddInterface(const Block& block);
  bool ParseInterfaceOptions(const Block& block, Interface* iface);
  // Applies an if_tsresol value; false if no 64-bit tick count can have it.
  static bool SetResolution(uint8_t tsresol, Interface* iface);
  // Packet blocks: fill `frame` or fail.
  bool EnhancedPacket(const Block& block, CapturedFrame* frame);
  bool SimplePacket(const Block& block, CapturedFrame* frame);
  bool ObsoletePacket(const Block& block, CapturedFrame* frame);
  bool FillFrame(const Block& block, uint32_t interface_id, uint64_t ticks,
                 uint32_t data_at, uint32_t caplen, uint32_t wire_len,
                 CapturedFrame* frame);
  uint64_t TimeUs(const Interface& iface, uint64_t ticks) const;
  // Sets error_ (naming the file and the block's offset); returns false.
  bool Fail(uint64_t offset, const std::string& what);

  std::string path_;
  File file_;
  std::vector<uint8_t> buffer_;
  size_t begin_ = 0;          // first unread byte in buffer_
  size_t end_ = 0;            // one past the last byte read into buffer_
  uint64_t file_offset_ = 0;  // of buffer_[begin_]
  bool swapped_ = false;      // this section's byte order is not the host's
  std::vector<Interface> interfaces_;  // of the current section
  int first_link_type_ = -1;
  absl::Status error_;
};

// libpcap's mapping from a file's LINKTYPE_ value to the DLT_ value it
// reports on Linux (they differ for a few old types, e.g. raw IP 101 -> 12),
// so both readers give DecodeFrame and the summaries the same numbers.
int LinkTypeToDlt(int linktype);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_PCAPNG_READER_H_
