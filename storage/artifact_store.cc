#include "storage/artifact_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace pktgrid {

absl::Status MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos != std::string::npos;) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(
          absl::StrCat(prefix, ": cannot create directory: ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

ArtifactStore::Writer::Writer(const ArtifactStore* store, std::string kind,
                              std::string tmp_path, FILE* file)
    : store_(store),
      kind_(std::move(kind)),
      tmp_path_(std::move(tmp_path)),
      file_(file, fclose) {}

ArtifactStore::Writer::~Writer() {
  // An unfinished upload leaves nothing behind.
  if (file_) {
    file_.reset();
    unlink(tmp_path_.c_str());
  }
}

absl::Status ArtifactStore::Writer::Append(absl::string_view data) {
  if (!file_) return absl::FailedPreconditionError("artifact already finished");
  if (fwrite(data.data(), 1, data.size(), file_.get()) != data.size()) {
    return absl::DataLossError(absl::StrCat(tmp_path_, ": write failed"));
  }
  sha_.Update(data);
  bytes_ += data.size();
  return absl::OkStatus();
}

absl::StatusOr<std::string> ArtifactStore::Writer::Finish(
    const std::string& expected_sha256) {
  if (!file_) return absl::FailedPreconditionError("artifact already finished");
  const bool flushed = fflush(file_.get()) == 0;
  file_.reset();
  const std::string sha = sha_.HexDigest();
  if (!flushed || (!expected_sha256.empty() && sha != expected_sha256)) {
    unlink(tmp_path_.c_str());
    if (!flushed) return absl::DataLossError(tmp_path_ + ": flush failed");
    return absl::DataLossError(absl::StrCat("upload digest ", sha,
                                            " does not match the claimed ",
                                            expected_sha256));
  }
  const std::string final_path = store_->PathOf(kind_, sha);
  const std::string dir = final_path.substr(0, final_path.rfind('/'));
  if (auto s = MakeDirs(dir); !s.ok()) return s;
  if (rename(tmp_path_.c_str(), final_path.c_str()) != 0) {
    unlink(tmp_path_.c_str());
    return absl::InternalError(
        absl::StrCat(final_path, ": cannot publish: ", strerror(errno)));
  }
  return sha;
}

absl::StatusOr<std::unique_ptr<ArtifactStore::Writer>> ArtifactStore::NewWriter(
    const std::string& kind) {
  static std::atomic<int> counter{0};
  const std::string dir = absl::StrCat(root_, "/tmp");
  if (auto s = MakeDirs(dir); !s.ok()) return s;
  const std::string tmp =
      absl::StrCat(dir, "/", kind, ".", getpid(), ".", counter++);
  FILE* file = fopen(tmp.c_str(), "wb");
  if (!file) {
    return absl::PermissionDeniedError(
        absl::StrCat(tmp, ": cannot create: ", strerror(errno)));
  }
  return std::make_unique<Writer>(this, kind, tmp, file);
}

absl::StatusOr<std::string> ArtifactStore::Put(const std::string& kind,
                                               absl::string_view bytes) {
  auto writer = NewWriter(kind);
  if (!writer.ok()) return writer.status();
  if (auto s = (*writer)->Append(bytes); !s.ok()) return s;
  return (*writer)->Finish("");
}

std::string ArtifactStore::PathOf(const std::string& kind,
                                  const std::string& sha256) const {
  return absl::StrCat(root_, "/", kind, "/", sha256.substr(0, 2), "/", sha256);
}

bool ArtifactStore::Has(const std::string& kind,
                        const std::string& sha256) const {
  struct stat st;
  return stat(PathOf(kind, sha256).c_str(), &st) == 0;
}

absl::StatusOr<std::string> ArtifactStore::Read(
    const std::string& kind, const std::string& sha256) const {
  const std::string path = PathOf(kind, sha256);
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("no ", kind, " ", sha256));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

}  // namespace pktgrid
