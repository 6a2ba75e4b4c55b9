#include "preprocess/pipeline.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "preprocess/capture_processor.h"
#include "preprocess/csv_export.h"
#include "preprocess/input_files.h"
#include "preprocess/manifest.h"
#include "preprocess/ndpi_labeler.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace preprocess {
namespace {

absl::Status ValidateOptions(const PreprocessOptions& o) {
  if (o.features.bytes == 0) {
    return absl::InvalidArgumentError("bytes must be at least 1");
  }
  if (o.max_per_flow == 0) {
    return absl::InvalidArgumentError("max_per_flow must be at least 1");
  }
  if (!(o.idle_timeout_s > 0) || !(o.max_duration_s > 0)) {
    return absl::InvalidArgumentError("flow timeouts must be positive");
  }
  const SplitRatios& r = o.ratios;
  if (r.train < 0 || r.val < 0 || r.test < 0 ||
      !(r.train + r.val + r.test > 0)) {
    return absl::InvalidArgumentError(
        "split ratios must be non-negative with a positive sum");
  }
  return absl::OkStatus();
}

absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(path.c_str(), "w"), fclose);
  if (f == nullptr) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot create"));
  }
  if (fwrite(text.data(), 1, text.size(), f.get()) != text.size() ||
      fclose(f.release()) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": write failed"));
  }
  return absl::OkStatus();
}

// The per_class shortfall error lists every class so the user can pick a
// feasible N or class list in one go.
absl::Status ShortfallError(const std::vector<std::string>& classes,
                            const std::map<std::string, uint64_t>& counts,
                            uint64_t per_class) {
  std::string list;
  for (const std::string& c : classes) {
    auto it = counts.find(c);
    absl::StrAppend(&list, list.empty() ? "" : ", ", c, "=",
                    it == counts.end() ? 0 : it->second);
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "per_class ", per_class,
      " exceeds the packets of some classes (set take_available to take "
      "what there is); payload packets per class: ",
      list));
}

}  // namespace

absl::StatusOr<Dataset> BuildDatasetInMemory(
    const PreprocessOptions& options, const std::vector<std::string>& inputs,
    PreprocessReport* report) {
  const auto start = std::chrono::steady_clock::now();
  PreprocessReport local;
  if (report == nullptr) report = &local;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  auto policy = LabelPolicy::Create(options.drop_labels, options.merges);
  if (!policy.ok()) return policy.status();
  auto selection = ClassSelection::Parse(options.classes);
  if (!selection.ok()) return selection.status();

  const std::vector<std::string> files = ExpandInputs(inputs);
  if (files.empty()) return absl::InvalidArgumentError("no input captures");
  report->ndpi_version = NdpiModule::Version();
  ClassSampler sampler(options.per_class, options.seed);
  CaptureProcessor processor(options, *policy, *selection, &sampler);
  const bool progress = options.progress && isatty(STDERR_FILENO);
  for (size_t i = 0; i < files.size(); ++i) {
    if (progress) {
      fprintf(stderr, "\r[%zu/%zu] %s\033[K", i + 1, files.size(),
              files[i].c_str());
    }
    FileSummary summary = processor.Process(files[i]);
    if (auto digest = Sha256File(files[i]); digest.ok()) {
      summary.sha256 = *digest;
    }
    if (!summary.error.empty()) report->errors.push_back(summary.error);
    report->files.push_back(std::move(summary));
  }
  if (progress) fprintf(stderr, "\r\033[K");

  report->available = sampler.Counts();
  auto classes = selection->Select(report->available);
  if (!classes.ok()) return classes.status();
  if (classes->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no payload packet of any kept class in ", files.size(),
                     " capture(s)", report->errors.empty() ? "" : "; errors: ",
                     report->errors.empty() ? "" : report->errors.front()));
  }
  if (options.per_class > 0 && !options.take_available) {
    for (const std::string& c : *classes) {
      if (report->available[c] < options.per_class) {
        return ShortfallError(*classes, report->available, options.per_class);
      }
    }
  }

  Dataset dataset;
  dataset.class_names = *classes;  // sorted: index = label code
  dataset.feature_bytes = options.features.bytes;
  report->classes.clear();
  for (size_t code = 0; code < classes->size(); ++code) {
    const std::string& name = (*classes)[code];
    std::vector<SampleRow> rows = sampler.Take(name);
    std::vector<uint32_t> flow_ids;
    flow_ids.reserve(rows.size());
    for (const SampleRow& r : rows) flow_ids.push_back(r.flow_id);
    const std::vector<Split> splits =
        AssignSplits(flow_ids, options.ratios, options.split_by_flow,
                     options.seed ^ Fnv1a64(name));
    ClassSummary summary;
    summary.name = name;
    summary.available = report->available[name];
    summary.taken = rows.size();
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::string& f = rows[i].features;
      const size_t at = dataset.features.size();
      dataset.features.resize(at + dataset.feature_bytes, 0);
      std::copy_n(f.begin(), std::min<size_t>(f.size(), dataset.feature_bytes),
                  dataset.features.begin() + at);
      dataset.labels.push_back(static_cast<uint16_t>(code));
      dataset.splits.push_back(splits[i]);
      dataset.flow_ids.push_back(rows[i].flow_id);
      ++summary.per_split[static_cast<size_t>(splits[i])];
    }
    report->classes.push_back(std::move(summary));
  }
  report->rows = dataset.rows();
  report->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return dataset;
}

absl::StatusOr<PreprocessReport> BuildDataset(
    const PreprocessOptions& options, const std::vector<std::string>& inputs,
    const std::string& out_path) {
  const auto start = std::chrono::steady_clock::now();
  PreprocessReport report;
  auto dataset = BuildDatasetInMemory(options, inputs, &report);
  if (!dataset.ok()) return dataset.status();
  if (absl::Status s = WriteDatasetFile(out_path, *dataset); !s.ok()) return s;
  report.dataset_path = out_path;
  auto digest = Sha256File(out_path);
  if (!digest.ok()) return digest.status();
  report.dataset_sha256 = *digest;
  if (options.export_csv) {
    const std::string dir =
        std::filesystem::path(out_path).parent_path().string();
    if (absl::Status s = ExportCsv(*dataset, dir); !s.ok()) return s;
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (options.write_manifest) {
    report.manifest_path = ManifestPathFor(out_path);
    absl::Status s =
        WriteTextFile(report.manifest_path, ManifestJson(options, report));
    if (!s.ok()) return s;
  }
  return report;
}

}  // namespace preprocess
}  // namespace pktgrid
