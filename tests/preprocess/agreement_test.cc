// Per-packet agreement of pktgrid's nDPI labels with the reference labelling
// of every capture in ../shared/pcaps/ndpi (Debian nDPI 4.2's ndpiReader -t,
// matched to packets by frame number: ndpi-4.2-packet-labels.tsv).
//
// For each file both read, the payload TCP/UDP packets pktgrid put in a flow
// are compared frame by frame with the reference's. "Both see the same
// flows" when both label exactly the same set of payload frames (a file
// where one side decapsulates a tunnel the other does not, or one side
// reads frames the other cannot, is listed but not counted). On those files
// at least 99% of payload packets must get the same label. Every file with
// a disagreement is printed with its counts and the label pairs.
//
// Needs ../shared/pcaps next to the workspace (or PKTGRID_SHARED_PCAPS);
// skips with a message otherwise.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/capture_processor.h"
#include "preprocess/input_files.h"
#include "tests/preprocess/shared_pcaps.h"

namespace pktgrid {
namespace preprocess {
namespace {

namespace fs = std::filesystem;

// Payload packets of one file: ours, the reference's, both, agreeing.
struct FileResult {
  std::string name;
  uint64_t ours = 0, theirs = 0, both = 0, agree = 0;
  std::map<std::pair<std::string, std::string>, uint64_t> pairs;  // ours,ref
  bool same_flows() const { return ours == both && theirs == both; }
};

TEST(AgreementTest, EveryCaptureAgreesWithNdpiReader) {
  const std::string dir = SharedPcapsDir();
  if (dir.empty() || !fs::is_directory(dir + "/ndpi")) {
    GTEST_SKIP() << "../shared/pcaps not found; skipping the agreement check";
  }
  ReferenceLabels reference =
      ReadReferenceLabels(dir + "/ndpi-4.2-packet-labels.tsv");
  // Packets ndpiReader tracked no flow for ("-") have no label to compare.
  for (auto& [file, frames] : reference) {
    for (auto it = frames.begin(); it != frames.end();) {
      it = it->second.label == "-" ? frames.erase(it) : std::next(it);
    }
  }
  ASSERT_FALSE(reference.empty());

  PreprocessOptions options;
  options.drop_labels.clear();
  auto policy = LabelPolicy::Create(options.drop_labels, options.merges);
  ASSERT_TRUE(policy.ok());
  // No class is kept, so no feature row is built: labels only.
  auto selection = ClassSelection::Parse("no-such-class");
  ASSERT_TRUE(selection.ok());
  ClassSampler sampler(1, 1);
  CaptureProcessor processor(options, *policy, *selection, &sampler);
  FrameLabels labels;
  processor.set_frame_labels(&labels);

  std::vector<FileResult> results;
  std::vector<std::string> unread;
  for (const std::string& path : ExpandInputs({dir + "/ndpi"})) {
    const std::string name = fs::path(path).filename().string();
    const FileSummary summary = processor.Process(path);
    if (!summary.error.empty() && summary.frames == 0) {
      unread.push_back(summary.error);
      continue;
    }
    auto ref_it = reference.find(name);
    if (ref_it == reference.end()) {
      unread.push_back(name + ": not in the reference labelling");
      continue;
    }
    const auto& ref = ref_it->second;
    // PKTGRID_AGREEMENT_DETAIL=<file name>: every differing frame of it.
    const char* detail = std::getenv("PKTGRID_AGREEMENT_DETAIL");
    const bool show = detail != nullptr && name == detail;
    FileResult r;
    r.name = name;
    r.theirs = ref.size();
    for (const auto& [frame, flow] : labels.frames) {
      ++r.ours;
      auto it = ref.find(frame);
      if (it == ref.end()) {
        if (show)
          printf("  frame %llu: only ours\n", (unsigned long long)frame);
        continue;
      }
      ++r.both;
      const std::string& ours = labels.flows.at(flow).label;
      // The reference's label column cuts ndpi_name ("Master.App") at its
      // last '.', which breaks names with a dot (Z39.50 became "50"): a
      // label equal to the whole ndpi_name agrees too.
      if (ours == it->second.label || ours == it->second.ndpi_name) {
        ++r.agree;
      } else {
        if (show) {
          printf("  frame %llu flow %u: ours %s (%s) ref %s\n",
                 static_cast<unsigned long long>(frame), flow, ours.c_str(),
                 labels.flows.at(flow).confidence.c_str(),
                 it->second.label.c_str());
        }
        ++r.pairs[{ours, it->second.label}];
      }
    }
    results.push_back(std::move(r));
  }

  uint64_t same_total = 0, same_agree = 0, all_both = 0, all_agree = 0;
  size_t same_files = 0;
  printf("Files with differences (ours/ref/both payload packets, agree):\n");
  for (const FileResult& r : results) {
    all_both += r.both;
    all_agree += r.agree;
    if (r.same_flows()) {
      ++same_files;
      same_total += r.both;
      same_agree += r.agree;
    }
    if (r.same_flows() && r.agree == r.both) continue;
    printf("  %-40s %s ours=%llu ref=%llu both=%llu agree=%llu", r.name.c_str(),
           r.same_flows() ? "same-flows " : "other-flows",
           static_cast<unsigned long long>(r.ours),
           static_cast<unsigned long long>(r.theirs),
           static_cast<unsigned long long>(r.both),
           static_cast<unsigned long long>(r.agree));
    for (const auto& [pair, n] : r.pairs) {
      printf(" [%s!=%s x%llu]", pair.first.c_str(), pair.second.c_str(),
             static_cast<unsigned long long>(n));
    }
    printf("\n");
  }
  printf("Unreadable: %zu\n", unread.size());
  for (const std::string& u : unread) printf("  %s\n", u.c_str());
  printf(
      "Agreement: %llu of %llu payload packets (%.3f%%) on %zu of %zu files "
      "where both see the same flows; %llu of %llu (%.3f%%) over all packets "
      "both labelled\n",
      static_cast<unsigned long long>(same_agree),
      static_cast<unsigned long long>(same_total),
      same_total ? 100.0 * same_agree / same_total : 0.0, same_files,
      results.size(), static_cast<unsigned long long>(all_agree),
      static_cast<unsigned long long>(all_both),
      all_both ? 100.0 * all_agree / all_both : 0.0);
  fflush(stdout);

  EXPECT_GT(results.size(), 400u);
  EXPECT_GT(same_files, results.size() * 9 / 10);
  EXPECT_GE(same_agree * 100, same_total * 99)
      << same_agree << " of " << same_total << " agree";
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
