#ifndef PKTGRID_WORKER_BYTE_IO_H_
#define PKTGRID_WORKER_BYTE_IO_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"

namespace pktgrid {

// Little-endian writer for the worker's binary blobs (model files, weights).
// pktgrid only targets little-endian hosts, so values are copied as is.
class ByteWriter {
 public:
  template <typename T>
  void Put(T value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void PutBytes(const void* data, size_t size) {
    out_.append(static_cast<const char*>(data), size);
  }
  // u32 length + bytes.
  void PutString(absl::string_view s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s.data(), s.size());
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Bounds-checked reader: every Get returns false instead of reading past the
// end, so truncated input becomes an error, not a crash.
class ByteReader {
 public:
  explicit ByteReader(absl::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* value) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetBytes(void* data, size_t size) {
    if (in_.size() - pos_ < size) return false;
    std::memcpy(data, in_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  bool GetString(std::string* s) {
    uint32_t size = 0;
    if (!Get(&size) || in_.size() - pos_ < size) return false;
    s->assign(in_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  absl::string_view in_;
  size_t pos_ = 0;
};

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_BYTE_IO_H_
