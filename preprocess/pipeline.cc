#include "preprocess/pipeline.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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
      " exceeds the packets of some classes (--take_available takes what "
      "there is); payload packets per class: ",
      list));
}

// Rows of val/test whose flow also has rows in train.
SplitLeakage MeasureLeakage(const std::vector<uint32_t>& flow_ids,
                            const std::vector<Split>& splits) {
  absl::flat_hash_set<uint32_t> train;
  for (size_t i = 0; i < splits.size(); ++i) {
    if (splits[i] == Split::kTrain) train.insert(flow_ids[i]);
  }
  SplitLeakage leak;
  absl::flat_hash_set<uint32_t> leaked;
  for (size_t i = 0; i < splits.size(); ++i) {
    if (splits[i] == Split::kTrain) continue;
    ++leak.val_test_rows;
    if (train.contains(flow_ids[i])) {
      ++leak.leaked_rows;
      leaked.insert(flow_ids[i]);
    }
  }
  leak.leaked_flows = leaked.size();
  return leak;
}

void AddLeakage(const SplitLeakage& add, SplitLeakage* to) {
  to->val_test_rows += add.val_test_rows;
  to->leaked_rows += add.leaked_rows;
  to->leaked_flows += add.leaked_flows;
}

// One status line on stderr, redrawn at most ten times a second.
class ProgressLine {
 public:
  ProgressLine(bool enabled, size_t files)
      : enabled_(enabled), files_(files), start_(Clock::now()) {}

  void Update(size_t file, uint64_t frames, uint64_t bytes, bool force) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    const double mb = static_cast<double>(bytes) / 1e6;
    const int width = 20;
    const int filled =
        static_cast<int>(width * file / std::max<size_t>(files_, 1));
    fprintf(stderr,
            "\r[%s%s] %zu/%zu files  %s packets  %.1f MB  %.1f MB/s\033[K",
            std::string(filled, '#').c_str(),
            std::string(width - filled, '.').c_str(), file, files_,
            absl::StrFormat("%d", frames).c_str(), mb, s > 0 ? mb / s : 0.0);
  }
  void Done() {
    if (enabled_) fprintf(stderr, "\r\033[K");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  size_t files_;
  Clock::time_point start_;
  Clock::time_point last_;
};

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
  // Quiet unless stderr is a terminal (logs and pipes get no \r noise).
  ProgressLine progress(options.progress && isatty(STDERR_FILENO),
                        files.size());
  uint64_t done_frames = 0, done_bytes = 0;
  size_t file_index = 0;
  processor.set_progress([&](uint64_t frames, uint64_t bytes) {
    progress.Update(file_index, done_frames + frames, done_bytes + bytes,
                    false);
  });
  for (size_t i = 0; i < files.size(); ++i) {
    file_index = i;
    FileSummary summary = processor.Process(files[i]);
    if (auto digest = Sha256File(files[i]); digest.ok()) {
      summary.sha256 = *digest;
    }
    done_frames += summary.frames;
    done_bytes += summary.bytes;
    progress.Update(i + 1, done_frames, done_bytes, i + 1 == files.size());
    if (!summary.error.empty()) report->errors.push_back(summary.error);
    report->files.push_back(std::move(summary));
  }
  progress.Done();
  report->label_details = processor.LabelDetails();
  report->excluded_guessed_flows = processor.excluded_guessed_flows();
  report->excluded_guessed_packets = processor.excluded_guessed_packets();

  report->available = sampler.Counts();
  auto classes = selection->Select(report->available);
  if (!classes.ok()) return classes.status();
  if (classes->empty() && report->errors.size() == files.size()) {
    return absl::NotFoundError(absl::StrCat(
        "no capture could be read: ", absl::StrJoin(report->errors, "; ")));
  }
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
  report->leakage_packet_split = SplitLeakage();
  report->leakage_flow_split = SplitLeakage();
  for (size_t code = 0; code < classes->size(); ++code) {
    const std::string& name = (*classes)[code];
    std::vector<SampleRow> rows = sampler.Take(name);
    std::vector<uint32_t> flow_ids;
    flow_ids.reserve(rows.size());
    for (const SampleRow& r : rows) flow_ids.push_back(r.flow_id);
    const uint64_t class_seed = options.seed ^ Fnv1a64(name);
    const std::vector<Split> splits = AssignSplits(
        flow_ids, options.ratios, options.split_by_flow, class_seed);
    // The other mode on the same rows, only to report its leakage.
    const std::vector<Split> other = AssignSplits(
        flow_ids, options.ratios, !options.split_by_flow, class_seed);
    const std::vector<Split>& by_packet =
        options.split_by_flow ? other : splits;
    const std::vector<Split>& by_flow = options.split_by_flow ? splits : other;
    AddLeakage(MeasureLeakage(flow_ids, by_packet),
               &report->leakage_packet_split);
    AddLeakage(MeasureLeakage(flow_ids, by_flow), &report->leakage_flow_split);
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
