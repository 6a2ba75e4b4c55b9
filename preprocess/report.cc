#include "preprocess/report.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pktgrid {
namespace preprocess {
namespace {

std::string Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "reason=n reason=n" for the non-zero set-aside counters.
std::string SetAside(const FileSummary& f) {
  std::string out;
  for (size_t i = 1; i < f.outcomes.size(); ++i) {
    if (f.outcomes[i] == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : " ",
                    DecodeOutcomeName(static_cast<DecodeOutcome>(i)), "=",
                    f.outcomes[i]);
  }
  return out.empty() ? "-" : out;
}

// The three most frequent labels, "Label:n".
std::string TopLabels(const FileSummary& f) {
  std::vector<std::pair<uint64_t, std::string>> v;
  for (const auto& [label, n] : f.labels) v.emplace_back(n, label);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string out;
  for (size_t i = 0; i < v.size() && i < 3; ++i) {
    absl::StrAppend(&out, i ? " " : "", v[i].second, ":", v[i].first);
  }
  if (v.size() > 3) absl::StrAppend(&out, " +", v.size() - 3);
  return out.empty() ? "-" : out;
}

}  // namespace

std::string FormatFileSummaries(const PreprocessReport& report) {
  std::string out = absl::StrFormat("%-36s %4s %8s %8s %8s %6s  %s\n", "file",
                                    "link", "frames", "decoded", "payload",
                                    "flows", "labels | set aside");
  for (const FileSummary& f : report.files) {
    if (!f.error.empty() && f.frames == 0) {
      absl::StrAppend(
          &out, absl::StrFormat("%-36s ERROR %s\n", Basename(f.path), f.error));
      continue;
    }
    absl::StrAppend(
        &out,
        absl::StrFormat("%-36s %4d %8u %8u %8u %6u  %s | %s\n",
                        Basename(f.path), f.link_type, f.frames, f.decoded(),
                        f.payload_packets, f.flows, TopLabels(f), SetAside(f)));
    // The link column shows the first interface's; a pcapng file whose
    // interfaces differ lists them all.
    if (f.link_types.size() > 1) {
      absl::StrAppend(&out, "    frames by link type:");
      for (const auto& [link, n] : f.link_types) {
        absl::StrAppend(&out, " ", link, ":", n);
      }
      absl::StrAppend(&out, "\n");
    }
    if (!f.error.empty()) {
      absl::StrAppend(&out, "    error after ", f.frames, " frames: ", f.error,
                      "\n");
    }
  }
  return out;
}

std::string FormatReport(const PreprocessReport& report, bool per_file) {
  // Without the per-file table, files that could not be read still show.
  std::string out = per_file ? FormatFileSummaries(report) : "";
  if (!per_file) {
    for (const std::string& error : report.errors) {
      absl::StrAppend(&out, "ERROR ", error, "\n");
    }
  }
  uint64_t frames = 0, decoded = 0, payload = 0, flows = 0;
  for (const FileSummary& f : report.files) {
    frames += f.frames;
    decoded += f.decoded();
    payload += f.payload_packets;
    flows += f.flows;
  }
  absl::StrAppend(&out, out.empty() ? "" : "\n", report.files.size(),
                  " files (", report.errors.size(), " with errors), ", frames,
                  " frames, ", decoded, " TCP/UDP packets, ", payload,
                  " with payload, ", flows, " flows; nDPI ",
                  report.ndpi_version, "\n\n");
  absl::StrAppend(
      &out, absl::StrFormat("%4s %-24s %10s %8s %8s %8s %8s\n", "code", "class",
                            "available", "taken", "train", "val", "test"));
  for (size_t i = 0; i < report.classes.size(); ++i) {
    const ClassSummary& c = report.classes[i];
    absl::StrAppend(
        &out, absl::StrFormat("%4u %-24s %10u %8u %8u %8u %8u\n", i, c.name,
                              c.available, c.taken, c.per_split[0],
                              c.per_split[1], c.per_split[2]));
  }
  absl::StrAppend(&out, report.rows, " rows -> ", report.dataset_path,
                  " (sha256 ", report.dataset_sha256, ") in ",
                  absl::StrFormat("%.2f", report.seconds), " s\n");
  return out;
}

}  // namespace preprocess
}  // namespace pktgrid
