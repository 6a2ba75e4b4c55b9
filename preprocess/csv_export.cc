#include "preprocess/csv_export.h"

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace preprocess {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { fclose(f); }
};

absl::Status WriteOne(const Dataset& d, Split split, const std::string& path) {
  std::unique_ptr<FILE, FileCloser> file(fopen(path.c_str(), "w"));
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot create"));
  }
  std::string line = "label";
  for (uint32_t i = 1; i <= d.feature_bytes; ++i) {
    absl::StrAppend(&line, ",byte", i);
  }
  line += '\n';
  fputs(line.c_str(), file.get());
  for (size_t r : d.RowsOf(split)) {
    line = d.class_names[d.labels[r]];
    const uint8_t* row = d.row(r);
    for (uint32_t i = 0; i < d.feature_bytes; ++i) {
      absl::StrAppend(&line, ",", row[i]);
    }
    line += '\n';
    fputs(line.c_str(), file.get());
  }
  // fclose's result is the only place a full disk shows up.
  if (fclose(file.release()) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": write failed"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ExportCsv(const Dataset& dataset, const std::string& directory) {
  const std::string dir = directory.empty() ? "." : directory;
  for (auto [split, name] : {std::pair{Split::kTrain, "train.csv"},
                             std::pair{Split::kVal, "val.csv"},
                             std::pair{Split::kTest, "test.csv"}}) {
    absl::Status s = WriteOne(dataset, split, dir + "/" + name);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace preprocess
}  // namespace pktgrid
