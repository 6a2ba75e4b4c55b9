#include "preprocess/pcapng_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace preprocess {
namespace {

// Block types (pcapng specification, section 11.1).
constexpr uint32_t kSectionHeader = 0x0A0D0D0A;  // the same in either order
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kObsoletePacket = 2;
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kEnhancedPacket = 6;

constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint32_t kBlockOverhead = 12;  // type, leading and trailing length
// libpcap refuses blocks above 16 MiB; a bigger one is a corrupt length
// rather than a real packet, and this bounds the buffer.
constexpr uint32_t kMaxBlockSize = 16u << 20;
// Read size: large enough that the read calls cost little per packet.
constexpr size_t kChunkSize = 256u << 10;

// Fixed parts of the block bodies, before data or options.
constexpr uint32_t kSectionHeaderFixed = 16;
constexpr uint32_t kInterfaceFixed = 8;
constexpr uint32_t kEnhancedFixed = 20;
constexpr uint32_t kObsoleteFixed = 20;
constexpr uint32_t kSimpleFixed = 4;

// Interface Description Block options.
constexpr uint16_t kOptEnd = 0;
constexpr uint16_t kOptTsResol = 9;
constexpr uint16_t kOptTsOffset = 14;

constexpr uint64_t kMicrosPerSecond = 1000000;
// |if_tsoffset| above this (~31,700 years) cannot be a real clock offset
// and would overflow microsecond arithmetic.
constexpr int64_t kMaxOffsetSeconds = 1000000000000;

uint16_t Load16(const uint8_t* p, bool swapped) {
  uint16_t v;
  memcpy(&v, p, sizeof(v));
  return swapped ? __builtin_bswap16(v) : v;
}

uint32_t Load32(const uint8_t* p, bool swapped) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return swapped ? __builtin_bswap32(v) : v;
}

uint64_t Load64(const uint8_t* p, bool swapped) {
  uint64_t v;
  memcpy(&v, p, sizeof(v));
  return swapped ? __builtin_bswap64(v) : v;
}

}  // namespace

int LinkTypeToDlt(int linktype) {
  // pcap-common.c: the LINKTYPE_ values below 104 whose DLT_ value on
  // Linux differs; everything else maps to itself.
  switch (linktype) {
    case 100:  // ATM_RFC1483
      return 11;
    case 101:  // RAW
      return 12;
    case 102:  // SLIP_BSDOS
      return 15;
    case 103:  // PPP_BSDOS
      return 16;
    case 106:  // ATM_CLIP
      return 19;
    default:
      return linktype;
  }
}

absl::StatusOr<std::unique_ptr<PcapngReader>> PcapngReader::Open(
    const std::string& path) {
  File file(fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot open capture: ", strerror(errno)));
  }
  // Chunks are read straight into buffer_; stdio's own buffer would only
  // add a copy.
  setvbuf(file.get(), nullptr, _IONBF, 0);
  std::unique_ptr<PcapngReader> reader(new PcapngReader(path, std::move(file)));
  if (!reader->ReadHeader()) {
    return absl::InvalidArgumentError(reader->error_.message());
  }
  return reader;
}

PcapngReader::PcapngReader(std::string path, File file)
    : path_(std::move(path)), file_(std::move(file)), buffer_(kChunkSize) {}

bool PcapngReader::ReadHeader() {
  if (Fill(4) < 4 || Load32(&buffer_[begin_], false) != kSectionHeader) {
    return error_.ok() ? Fail(0, "not a pcapng file") : false;
  }
  Block block;
  if (!ReadBlock(&block) || !StartSection(block)) return false;
  // Packets need their interface, so a valid file describes one first;
  // reading up to it gives link_type() before the first Next().
  while (first_link_type_ < 0) {
    if (!ReadBlock(&block)) {
      return error_.ok() ? Fail(file_offset_, "no Interface Description Block")
                         : false;
    }
    switch (block.type) {
      case kSectionHeader:
        if (!StartSection(block)) return false;
        break;
      case kInterfaceDescription:
        if (!AddInterface(block)) return false;
        break;
      case kEnhancedPacket:
      case kSimplePacket:
      case kObsoletePacket:
        return Fail(block.offset,
                    "packet before any Interface Description Block");
      default:
        break;
    }
  }
  return true;
}

bool PcapngReader::Next(CapturedFrame* frame) {
  if (!error_.ok()) return false;
  Block block;
  while (ReadBlock(&block)) {
    switch (block.type) {
      case kEnhancedPacket:
        return EnhancedPacket(block, frame);
      case kSimplePacket:
        return SimplePacket(block, frame);
      case kObsoletePacket:
        return ObsoletePacket(block, frame);
      case kInterfaceDescription:
        if (!AddInterface(block)) return false;
        break;
      case kSectionHeader:
        if (!StartSection(block)) return false;
        break;
      default:
        break;  // statistics, names, secrets, custom: nothing to decode
    }
  }
  return false;
}

size_t PcapngReader::Fill(size_t n) {
  if (end_ - begin_ >= n) return end_ - begin_;
  // The unread tail is less than one block: move it to the front and read
  // a whole chunk behind it.
  memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  if (buffer_.size() < n) buffer_.resize(n);
  while (end_ < n) {
    const size_t got =
        fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_.get());
    end_ += got;
    if (got == 0) {
      if (ferror(file_.get())) {
        error_ = absl::DataLossError(
            absl::StrCat(path_, ": read error: ", strerror(errno)));
      }
      break;
    }
  }
  return end_ - begin_;
}

bool PcapngReader::ReadBlock(Block* block) {
  const size_t have = Fill(8);
  if (!error_.ok()) return false;
  if (have == 0) return false;  // clean end between blocks
  block->offset = file_offset_;
  if (have < 8) {
    return Fail(block->offset,
                absl::StrCat("truncated block header (", have, " of 8 bytes)"));
  }
  block->type = Load32(&buffer_[begin_], swapped_);
  block->swapped = swapped_;
  if (block->type == kSectionHeader) {
    // A new section may switch byte order: its magic says how to read even
    // its own length.
    if (Fill(12) < 12) {
      return error_.ok() ? Fail(block->offset, "truncated section header")
                         : false;
    }
    const uint32_t magic = Load32(&buffer_[begin_ + 8], false);
    if (magic != kByteOrderMagic &&
        magic != __builtin_bswap32(kByteOrderMagic)) {
      return Fail(block->offset, "section header has no byte-order magic");
    }
    block->swapped = magic != kByteOrderMagic;
  }
  const uint32_t total = Load32(&buffer_[begin_ + 4], block->swapped);
  if (total < kBlockOverhead || total % 4 != 0 || total > kMaxBlockSize) {
    return Fail(block->offset, absl::StrCat("block of type ", block->type,
                                            " has an invalid length ", total));
  }
  const size_t got = Fill(total);
  if (!error_.ok()) return false;
  if (got < total) {
    return Fail(block->offset,
                absl::StrCat("truncated block of type ", block->type, ": ",
                             total, " bytes long, ", got, " left in the file"));
  }
  const uint8_t* p = &buffer_[begin_];
  const uint32_t trailer = Load32(p + total - 4, block->swapped);
  if (trailer != total) {
    return Fail(
        block->offset,
        absl::StrCat("block of type ", block->type, ": trailing length ",
                     trailer, " does not match leading length ", total));
  }
  block->body = p + 8;
  block->body_len = total - kBlockOverhead;
  begin_ += total;
  file_offset_ += total;
  return true;
}

bool PcapngReader::StartSection(const Block& block) {
  if (block.body_len < kSectionHeaderFixed) {
    return Fail(block.offset, "section header block too short");
  }
  const uint16_t major = Load16(block.body + 4, block.swapped);
  if (major != 1) {
    return Fail(block.offset,
                absl::StrCat("unsupported pcapng version ", major, ".",
                             Load16(block.body + 6, block.swapped)));
  }
  swapped_ = block.swapped;
  interfaces_.clear();  // interface ids count from 0 in every section
  return true;
}

bool PcapngReader::AddInterface(const Block& block) {
  if (block.body_len < kInterfaceFixed) {
    return Fail(block.offset, "interface description block too short");
  }
  Interface iface;
  iface.link_type = LinkTypeToDlt(Load16(block.body, block.swapped));
  iface.snaplen = Load32(block.body + 4, block.swapped);
  if (!ParseInterfaceOptions(block, &iface)) return false;
  interfaces_.push_back(iface);
  if (first_link_type_ < 0) first_link_type_ = iface.link_type;
  return true;
}

bool PcapngReader::ParseInterfaceOptions(const Block& block, Interface* iface) {
  const uint8_t* body = block.body;
  for (uint32_t at = kInterfaceFixed; block.body_len - at >= 4;) {
    const uint16_t code = Load16(body + at, block.swapped);
    const uint16_t len = Load16(body + at + 2, block.swapped);
    at += 4;
    const uint32_t padded = (len + 3u) & ~3u;
    if (padded > block.body_len - at) {
      return Fail(block.offset, absl::StrCat("interface option ", code,
                                             " runs past its block"));
    }
    const uint8_t* value = body + at;
    at += padded;
    if (code == kOptEnd) break;
    if (code == kOptTsResol) {
      if (len != 1 || !SetResolution(value[0], iface)) {
        return Fail(block.offset, "unsupported if_tsresol");
      }
    } else if (code == kOptTsOffset) {
      if (len != 8) return Fail(block.offset, "unsupported if_tsoffset");
      const int64_t offset_s =
          static_cast<int64_t>(Load64(value, block.swapped));
      if (offset_s > kMaxOffsetSeconds || offset_s < -kMaxOffsetSeconds) {
        return Fail(block.offset, "unsupported if_tsoffset");
      }
      iface->offset_us = offset_s * static_cast<int64_t>(kMicrosPerSecond);
    }
  }
  return true;
}

bool PcapngReader::SetResolution(uint8_t tsresol, Interface* iface) {
  // The high bit picks 2^-n over 10^-n seconds per tick; 2^63 and 10^19
  // are the largest tick rates a 64-bit count can have.
  const uint32_t exponent = tsresol & 0x7f;
  iface->binary_ticks_per_s = 0;
  iface->divide_by = 1;
  iface->multiply_by = 1;
  if (tsresol & 0x80) {
    if (exponent > 63) return false;
    iface->binary_ticks_per_s = uint64_t{1} << exponent;
    return true;
  }
  if (exponent > 19) return false;
  uint64_t ticks_per_s = 1;
  for (uint32_t i = 0; i < exponent; ++i) ticks_per_s *= 10;
  if (ticks_per_s >= kMicrosPerSecond) {
    iface->divide_by = ticks_per_s / kMicrosPerSecond;
  } else {
    iface->multiply_by = kMicrosPerSecond / ticks_per_s;
  }
  return true;
}

uint64_t PcapngReader::TimeUs(const Interface& iface, uint64_t ticks) const {
  uint64_t us;
  if (iface.binary_ticks_per_s == 0) {
    // Powers of ten: one exact division or multiplication (equal to
    // libpcap's seconds-and-fraction result, truncated to microseconds).
    us = ticks / iface.divide_by * iface.multiply_by;
  } else {
    const uint64_t tps = iface.binary_ticks_per_s;
    const uint64_t frac = ticks % tps;
    us = ticks / tps * kMicrosPerSecond +
         static_cast<uint64_t>(static_cast<unsigned __int128>(frac) *
                               kMicrosPerSecond / tps);
  }
  if (iface.offset_us >= 0) return us + static_cast<uint64_t>(iface.offset_us);
  // Before the epoch means a bad offset; 0 keeps flow arithmetic sane.
  const uint64_t back = static_cast<uint64_t>(-iface.offset_us);
  return us > back ? us - back : 0;
}

bool PcapngReader::EnhancedPacket(const Block& block, CapturedFrame* frame) {
  if (block.body_len < kEnhancedFixed) {
    return Fail(block.offset, "enhanced packet block too short");
  }
  const uint8_t* b = block.body;
  const uint64_t ticks = uint64_t{Load32(b + 4, block.swapped)} << 32 |
                         Load32(b + 8, block.swapped);
  return FillFrame(block, Load32(b, block.swapped), ticks, kEnhancedFixed,
                   Load32(b + 12, block.swapped), Load32(b + 16, block.swapped),
                   frame);
}

bool PcapngReader::ObsoletePacket(const Block& block, CapturedFrame* frame) {
  if (block.body_len < kObsoleteFixed) {
    return Fail(block.offset, "packet block too short");
  }
  const uint8_t* b = block.body;
  const uint64_t ticks = uint64_t{Load32(b + 4, block.swapped)} << 32 |
                         Load32(b + 8, block.swapped);
  return FillFrame(block, Load16(b, block.swapped), ticks, kObsoleteFixed,
                   Load32(b + 12, block.swapped), Load32(b + 16, block.swapped),
                   frame);
}

bool PcapngReader::SimplePacket(const Block& block, CapturedFrame* frame) {
  if (block.body_len < kSimpleFixed) {
    return Fail(block.offset, "simple packet block too short");
  }
  if (interfaces_.empty()) {
    return Fail(block.offset, "simple packet block without an interface");
  }
  // No captured length and no timestamp: the data is the packet cut to the
  // first interface's snap length (0 = no limit), at time 0.
  const uint32_t wire_len = Load32(block.body, block.swapped);
  uint32_t caplen = std::min(wire_len, block.body_len - kSimpleFixed);
  if (interfaces_[0].snaplen != 0) {
    caplen = std::min(caplen, interfaces_[0].snaplen);
  }
  return FillFrame(block, 0, 0, kSimpleFixed, caplen, wire_len, frame);
}

bool PcapngReader::FillFrame(const Block& block, uint32_t interface_id,
                             uint64_t ticks, uint32_t data_at, uint32_t caplen,
                             uint32_t wire_len, CapturedFrame* frame) {
  if (interface_id >= interfaces_.size()) {
    return Fail(block.offset,
                absl::StrCat("packet on interface ", interface_id,
                             ", which this section does not describe"));
  }
  if (caplen > block.body_len - data_at) {
    return Fail(
        block.offset,
        absl::StrCat("captured length ", caplen, " runs past its block (",
                     block.body_len - data_at, " bytes of data)"));
  }
  const Interface& iface = interfaces_[interface_id];
  frame->data = block.body + data_at;
  frame->caplen = caplen;
  frame->wire_len = wire_len;
  frame->time_us = TimeUs(iface, ticks);
  frame->link_type = iface.link_type;
  return true;
}

bool PcapngReader::Fail(uint64_t offset, const std::string& what) {
  error_ = absl::DataLossError(
      absl::StrCat(path_, ": pcapng block at byte ", offset, ": ", what));
  return false;
}

}  // namespace preprocess
}  // namespace pktgrid
