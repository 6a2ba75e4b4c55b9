#include "storage/dataset_file.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace {

constexpr char kMagic[8] = {'P', 'K', 'T', 'G', 'R', 'I', 'D', 'D'};
constexpr uint32_t kVersion = 1;
constexpr size_t kDigestBytes = 32;

// Appends little-endian integers; every supported target is little-endian, so
// a memcpy is the encoding.
template <typename T>
void Put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
void PutArray(std::string& out, const std::vector<T>& values) {
  out.append(reinterpret_cast<const char*>(values.data()),
             values.size() * sizeof(T));
}

// Reads fields in order from the file image, failing with the field's name.
class Cursor {
 public:
  Cursor(const std::string& bytes, size_t end, const std::string& origin)
      : bytes_(bytes), end_(end), origin_(origin) {}

  template <typename T>
  absl::Status Get(const char* field, T* value) {
    if (auto s = Need(field, sizeof(T)); !s.ok()) return s;
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return absl::OkStatus();
  }

  template <typename T>
  absl::Status GetArray(const char* field, size_t count, std::vector<T>* out) {
    if (count > (end_ - pos_) / sizeof(T)) return Truncated(field);
    out->resize(count);
    std::memcpy(out->data(), bytes_.data() + pos_, count * sizeof(T));
    pos_ += count * sizeof(T);
    return absl::OkStatus();
  }

  absl::Status GetString(const char* field, size_t length, std::string* out) {
    if (auto s = Need(field, length); !s.ok()) return s;
    out->assign(bytes_.data() + pos_, length);
    pos_ += length;
    return absl::OkStatus();
  }

  size_t pos() const { return pos_; }

 private:
  absl::Status Need(const char* field, size_t n) {
    return n <= end_ - pos_ ? absl::OkStatus() : Truncated(field);
  }
  absl::Status Truncated(const char* field) {
    return absl::DataLossError(absl::StrCat(origin_,
                                            ": truncated dataset file: ", field,
                                            " ends past byte ", end_));
  }

  const std::string& bytes_;
  size_t end_;
  const std::string& origin_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<size_t> Dataset::RowsOf(Split split) const {
  std::vector<size_t> rows;
  for (size_t i = 0; i < splits.size(); ++i) {
    if (splits[i] == split) rows.push_back(i);
  }
  return rows;
}

absl::Status Dataset::Validate() const {
  if (feature_bytes == 0) {
    return absl::InvalidArgumentError("dataset: feature_bytes is 0");
  }
  if (features.size() != rows() * feature_bytes || splits.size() != rows() ||
      flow_ids.size() != rows()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset: ", rows(), " labels but ", splits.size(), " splits, ",
        flow_ids.size(), " flow ids and ", features.size(),
        " feature bytes (expected rows * ", feature_bytes, ")"));
  }
  if (class_names.empty() || class_names.size() > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset: ", class_names.size(), " classes; expected 1..65535"));
  }
  for (size_t i = 0; i < rows(); ++i) {
    if (labels[i] >= class_names.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dataset: row ", i, " has label ", labels[i],
                       " but there are ", class_names.size(), " classes"));
    }
    if (static_cast<uint8_t>(splits[i]) > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("dataset: row ", i, " has split ",
                       static_cast<int>(splits[i]), "; expected 0, 1 or 2"));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteDatasetFile(const std::string& path, const Dataset& dataset) {
  if (auto s = dataset.Validate(); !s.ok()) return s;
  std::string out;
  out.reserve(64 + dataset.features.size() + dataset.rows() * 7);
  out.append(kMagic, sizeof(kMagic));
  Put<uint32_t>(out, kVersion);
  Put<uint32_t>(out, dataset.feature_bytes);
  Put<uint64_t>(out, dataset.rows());
  Put<uint32_t>(out, dataset.class_names.size());
  for (const std::string& name : dataset.class_names) {
    if (name.size() > 65535) {
      return absl::InvalidArgumentError("dataset: class name over 65535 bytes");
    }
    Put<uint16_t>(out, name.size());
    out.append(name);
  }
  PutArray(out, dataset.labels);
  PutArray(out, dataset.splits);
  PutArray(out, dataset.flow_ids);
  PutArray(out, dataset.features);
  Sha256 sha;
  sha.Update(out);
  out.append(sha.Digest());

  // Write to a temporary name and rename, so a crash never leaves a
  // half-written file under the real name.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file)
      return absl::PermissionDeniedError(absl::StrCat(tmp, ": cannot create"));
    file.write(out.data(), out.size());
    if (!file) return absl::DataLossError(absl::StrCat(tmp, ": write failed"));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat(path, ": cannot rename from ", tmp));
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> ParseDataset(const std::string& bytes,
                                     const std::string& origin) {
  if (bytes.size() < sizeof(kMagic) + kDigestBytes ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": not a pktgrid dataset file (bad magic)"));
  }
  const size_t body = bytes.size() - kDigestBytes;
  Sha256 sha;
  sha.Update(absl::string_view(bytes.data(), body));
  if (sha.Digest() != bytes.substr(body)) {
    return absl::DataLossError(absl::StrCat(
        origin, ": dataset checksum mismatch (file is corrupt or truncated)"));
  }

  Cursor in(bytes, body, origin);
  std::string magic;
  uint32_t version = 0, classes = 0;
  uint64_t rows = 0;
  Dataset d;
  if (auto s = in.GetString("magic", sizeof(kMagic), &magic); !s.ok()) return s;
  if (auto s = in.Get("version", &version); !s.ok()) return s;
  if (version != kVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": dataset version ", version,
                     "; this build reads ", kVersion));
  }
  if (auto s = in.Get("feature_bytes", &d.feature_bytes); !s.ok()) return s;
  if (auto s = in.Get("rows", &rows); !s.ok()) return s;
  if (auto s = in.Get("classes", &classes); !s.ok()) return s;
  for (uint32_t c = 0; c < classes; ++c) {
    uint16_t length = 0;
    std::string name;
    if (auto s = in.Get("class name length", &length); !s.ok()) return s;
    if (auto s = in.GetString("class name", length, &name); !s.ok()) return s;
    d.class_names.push_back(std::move(name));
  }
  if (auto s = in.GetArray("labels", rows, &d.labels); !s.ok()) return s;
  if (auto s = in.GetArray("splits", rows, &d.splits); !s.ok()) return s;
  if (auto s = in.GetArray("flow_ids", rows, &d.flow_ids); !s.ok()) return s;
  if (d.feature_bytes != 0 && rows > (body - in.pos()) / d.feature_bytes) {
    return absl::DataLossError(absl::StrCat(origin, ": features truncated"));
  }
  if (auto s = in.GetArray("features", rows * d.feature_bytes, &d.features);
      !s.ok())
    return s;
  if (in.pos() != body) {
    return absl::DataLossError(absl::StrCat(
        origin, ": ", body - in.pos(), " unexpected bytes after features"));
  }
  if (auto s = d.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat(origin, ": ", s.message()));
  }
  return d;
}

absl::StatusOr<Dataset> ReadDatasetFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return ParseDataset(buffer.str(), path);
}

}  // namespace pktgrid
