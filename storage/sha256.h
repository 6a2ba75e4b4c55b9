#ifndef PKTGRID_STORAGE_SHA256_H_
#define PKTGRID_STORAGE_SHA256_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pktgrid {

// Incremental SHA-256 (OpenSSL underneath). Digests are lowercase hex: the
// identity of every dataset and model artifact.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(absl::string_view data);
  // Return the 32-byte digest (raw or lowercase hex); call one of them once,
  // after the last Update.
  std::string Digest();
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(absl::string_view data);
std::string ToHex(absl::string_view bytes);

// Digest of a whole file, read in chunks.
absl::StatusOr<std::string> Sha256File(const std::string& path);

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_SHA256_H_
