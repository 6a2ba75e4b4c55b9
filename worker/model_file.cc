#include "worker/model_file.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "storage/sha256.h"
#include "worker/byte_io.h"
#include "worker/svm.h"
#include "worker/torch_predictor.h"

namespace pktgrid {
namespace {

constexpr char kMagic[8] = {'P', 'K', 'T', 'G', 'R', 'I', 'D', 'M'};
constexpr uint32_t kVersion = 1;
constexpr size_t kDigestChars = 64;

absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrCat("model file: ", what));
}

}  // namespace

std::string EncodeModelFile(const ModelFile& file) {
  const ModelHeader& h = file.header;
  ByteWriter out;
  out.PutBytes(kMagic, sizeof(kMagic));
  out.Put<uint32_t>(kVersion);
  out.PutString(FamilyName(h.arch.family));
  out.PutString(h.arch.SizeString());
  out.PutString(h.kernel);
  out.Put<int32_t>(h.arch.input.bytes);
  out.Put<int32_t>(h.skip_bytes);
  out.Put<int64_t>(h.arch.param_count);
  out.Put<uint32_t>(static_cast<uint32_t>(h.class_names.size()));
  for (const auto& name : h.class_names) out.PutString(name);
  out.Put<uint64_t>(file.payload.size());
  out.PutBytes(file.payload.data(), file.payload.size());
  std::string bytes = std::move(out.str());
  bytes += Sha256Hex(bytes);
  return bytes;
}

absl::StatusOr<ModelFile> DecodeModelFile(const std::string& bytes) {
  if (bytes.size() < sizeof(kMagic) + kDigestChars ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return Corrupt("not a pktgrid model (bad magic or too short)");
  }
  const absl::string_view body(bytes.data(), bytes.size() - kDigestChars);
  if (Sha256Hex(body) != bytes.substr(body.size())) {
    return Corrupt("checksum mismatch (file corrupt or truncated)");
  }
  ByteReader in(body.substr(sizeof(kMagic)));
  uint32_t version = 0;
  if (!in.Get(&version) || version != kVersion) {
    return Corrupt(absl::StrCat("unsupported version ", version,
                                " (this worker reads ", kVersion, ")"));
  }
  ModelFile file;
  ModelHeader& h = file.header;
  std::string family, size;
  int32_t input_bytes = 0;
  int64_t param_count = 0;
  uint32_t classes = 0;
  if (!in.GetString(&family) || !in.GetString(&size) ||
      !in.GetString(&h.kernel) || !in.Get(&input_bytes) ||
      !in.Get(&h.skip_bytes) || !in.Get(&param_count) || !in.Get(&classes)) {
    return Corrupt("truncated header");
  }
  h.class_names.resize(classes);
  for (auto& name : h.class_names) {
    if (!in.GetString(&name)) return Corrupt("truncated class names");
  }
  uint64_t payload_size = 0;
  if (!in.Get(&payload_size) || payload_size > body.size()) {
    return Corrupt("truncated payload");
  }
  file.payload.resize(payload_size);
  if (!in.GetBytes(file.payload.data(), payload_size) || !in.AtEnd()) {
    return Corrupt("payload size does not match the file");
  }
  auto parsed = ParseFamily(family);
  if (!parsed.ok()) return Corrupt(std::string(parsed.status().message()));
  auto arch = ResolveSize(*parsed, size, input_bytes, classes);
  if (!arch.ok()) return Corrupt(std::string(arch.status().message()));
  // svm_libsvm's count depends on its support vectors, not the size.
  if (*parsed != Family::kSvmLibsvm && arch->param_count != param_count) {
    return Corrupt(absl::StrCat("header says ", param_count,
                                " parameters, the architecture has ",
                                arch->param_count));
  }
  h.arch = *std::move(arch);
  h.arch.param_count = param_count;
  return file;
}

absl::StatusOr<std::unique_ptr<Predictor>> LoadModel(const std::string& bytes) {
  auto file = DecodeModelFile(bytes);
  if (!file.ok()) return file.status();
  switch (file->header.arch.family) {
    case Family::kSvm:
      return LoadLinearSvmPredictor(file->header, file->payload);
    case Family::kSvmLibsvm:
      return LoadLibsvmPredictor(file->header, file->payload);
    default:
      return LoadTorchPredictor(file->header, file->payload);
  }
}

}  // namespace pktgrid
