#ifndef PKTGRID_STORAGE_ARTIFACT_STORE_H_
#define PKTGRID_STORAGE_ARTIFACT_STORE_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/sha256.h"

namespace pktgrid {

// Content-addressed files on disk: <root>/<kind>/<sha256[0:2]>/<sha256>.
// An artifact is written under a temporary name and renamed once its digest
// is known, so a reader never sees a partial file.
class ArtifactStore {
 public:
  explicit ArtifactStore(std::string root) : root_(std::move(root)) {}

  // Streams one artifact in; Finish() verifies the digest (when the sender
  // named one) and publishes the file.
  class Writer {
   public:
    // Use ArtifactStore::NewWriter.
    Writer(const ArtifactStore* store, std::string kind, std::string tmp_path,
           FILE* file);
    ~Writer();
    absl::Status Append(absl::string_view data);
    // Returns the digest. If `expected_sha256` is non-empty and differs, the
    // upload is discarded with an error.
    absl::StatusOr<std::string> Finish(const std::string& expected_sha256);
    int64_t bytes() const { return bytes_; }

   private:
    const ArtifactStore* store_;
    std::string kind_, tmp_path_;
    std::unique_ptr<FILE, int (*)(FILE*)> file_;
    Sha256 sha_;
    int64_t bytes_ = 0;
  };

  absl::StatusOr<std::unique_ptr<Writer>> NewWriter(const std::string& kind);
  // Copies bytes in one call; returns the digest.
  absl::StatusOr<std::string> Put(const std::string& kind,
                                  absl::string_view bytes);
  std::string PathOf(const std::string& kind, const std::string& sha256) const;
  bool Has(const std::string& kind, const std::string& sha256) const;
  absl::StatusOr<std::string> Read(const std::string& kind,
                                   const std::string& sha256) const;

 private:
  std::string root_;
};

// Creates a directory and its parents (like mkdir -p).
absl::Status MakeDirs(const std::string& path);

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_ARTIFACT_STORE_H_
