#ifndef PKTGRID_PREPROCESS_CAPTURED_FRAME_H_
#define PKTGRID_PREPROCESS_CAPTURED_FRAME_H_

#include <cstdint>

namespace pktgrid {
namespace preprocess {

// One captured frame. `data` stays valid until the reader's next Next().
struct CapturedFrame {
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;    // bytes present in the file
  uint32_t wire_len = 0;  // bytes on the wire (> caplen when snapped)
  uint64_t time_us = 0;   // capture time in microseconds since the epoch
  // libpcap DLT_ value of this frame's link layer (what DecodeFrame takes).
  // Per frame because a pcapng file's interfaces may differ.
  int link_type = 0;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CAPTURED_FRAME_H_
