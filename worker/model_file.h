#ifndef PKTGRID_WORKER_MODEL_FILE_H_
#define PKTGRID_WORKER_MODEL_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "worker/predictor.h"

namespace pktgrid {

// One artifact format for every family (version 1, little-endian):
//   "PKTGRIDM", u32 version,
//   header: family, size (resolved widths), kernel (u32 length + bytes each),
//           i32 input_bytes, i32 skip_bytes, i64 param_count,
//           u32 classes, class names (u32 length + bytes each),
//   payload: u64 length + backend bytes (torch weights, liblinear weight
//            matrix or libsvm model file),
//   64 lowercase hex chars: SHA-256 of everything before them.
// The same model always gives the same bytes, so the file's SHA-256 is the
// model's identity.
struct ModelFile {
  ModelHeader header;
  std::string payload;
};

std::string EncodeModelFile(const ModelFile& file);

// Verifies magic, version and checksum, and that the header describes a
// buildable architecture whose parameter count matches the recorded one.
absl::StatusOr<ModelFile> DecodeModelFile(const std::string& bytes);

// Decodes and loads the model of any family, ready to predict on CPU.
absl::StatusOr<std::unique_ptr<Predictor>> LoadModel(const std::string& bytes);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_MODEL_FILE_H_
