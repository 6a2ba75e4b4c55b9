// The synthetic capture through the whole pipeline: nDPI's labels, counts,
// determinism, and the side outputs.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/manifest.h"
#include "preprocess/pipeline.h"
#include "preprocess/synth.h"
#include "storage/dataset_file.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace preprocess {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string WriteSynth(const std::string& name, const SynthOptions& o) {
  const std::string path = TempPath(name);
  EXPECT_TRUE(WriteSynthCapture(path, o).ok());
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::vector<std::string> kAppLabels = {
    "BitTorrent", "Facebook",      "Instagram", "NetFlix",
    "Teams",      "WindowsUpdate", "YouTube"};

TEST(SynthTest, SameSeedSameBytesOtherSeedOtherBytes) {
  SynthOptions o;
  const auto a = SynthCaptureBytes(o);
  const auto b = SynthCaptureBytes(o);
  o.seed = 7;
  const auto c = SynthCaptureBytes(o);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(Sha256Hex(*a), Sha256Hex(*b));
  EXPECT_NE(Sha256Hex(*a), Sha256Hex(*c));
  o.apps = {"youtube", "nosuchapp"};
  EXPECT_FALSE(SynthCaptureBytes(o).ok());
}

TEST(SynthTest, NdpiLabelsEveryAppAsExpected) {
  const std::string pcap = WriteSynth("labels.pcap", SynthOptions());
  PreprocessOptions o;
  o.drop_labels.clear();
  o.per_class = 0;
  PreprocessReport report;
  auto dataset = BuildDatasetInMemory(o, {pcap}, &report);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  ASSERT_EQ(report.files.size(), 1u);
  const FileSummary& f = report.files[0];
  EXPECT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.flows, 90u);  // 9 apps x 10 flows, no spurious teardown flows
  EXPECT_EQ(f.frames, f.decoded());
  EXPECT_EQ(f.payload_packets, 9u * 10u * 32u);
  std::map<std::string, uint64_t> expected;
  for (const std::string& app : SynthAppNames()) {
    expected[SynthExpectedLabel(app)] = 320;  // 10 flows x (30 + 2)
  }
  EXPECT_EQ(f.labels, expected);
  EXPECT_EQ(dataset->class_names.size(), 9u);
}

TEST(SynthTest, BuildDatasetDefaultsDropGenericAndSample) {
  const std::string pcap = WriteSynth("build.pcap", SynthOptions());
  PreprocessOptions o;
  o.per_class = 200;
  o.export_csv = true;
  const std::string out = TempPath("synth.pktd");
  auto report = BuildDataset(o, {pcap}, out);
  ASSERT_TRUE(report.ok()) << report.status();
  auto d = ReadDatasetFile(out);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->class_names, kAppLabels);  // TLS and DNS dropped, sorted
  EXPECT_EQ(d->rows(), 7u * 200u);
  EXPECT_EQ(d->feature_bytes, 1480u);
  for (const ClassSummary& c : report->classes) {
    EXPECT_EQ(c.available, 320u) << c.name;
    EXPECT_EQ(c.taken, 200u);
    EXPECT_EQ(c.per_split, (std::array<uint64_t, 3>{128, 32, 40})) << c.name;
  }
  EXPECT_EQ(d->RowsOf(Split::kTrain).size(), 7u * 128u);
  // Transport masking: the TCP header (20 bytes here) is zero in every row.
  for (size_t r = 0; r < d->rows(); ++r) {
    for (int i = 0; i < 20; ++i) ASSERT_EQ(d->row(r)[i], 0) << r;
  }
  // Side outputs.
  const std::string manifest = ReadAll(ManifestPathFor(out));
  EXPECT_NE(manifest.find("\"dataset_sha256\": \"" + report->dataset_sha256),
            std::string::npos);
  EXPECT_NE(manifest.find("\"name\": \"YouTube\""), std::string::npos);
  EXPECT_NE(manifest.find("\"ndpi_version\""), std::string::npos);
  // Both split modes' leakage and nDPI's per-flow details are reported.
  EXPECT_NE(manifest.find("\"split_leakage\""), std::string::npos);
  EXPECT_NE(manifest.find("\"flow_split\""), std::string::npos);
  EXPECT_NE(manifest.find("\"label_details\""), std::string::npos);
  EXPECT_NE(manifest.find("\"confidence\""), std::string::npos);
  if (const char* dump = std::getenv("PKTGRID_DUMP_MANIFEST")) {
    FILE* f = fopen(dump, "w");
    if (f != nullptr) {
      fputs(manifest.c_str(), f);
      fclose(f);
    }
  }
  const std::string csv = ReadAll(TempPath("train.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7 * 128 + 1);
  EXPECT_EQ(csv.rfind("label,byte1,byte2,", 0), 0u);
  EXPECT_NE(FormatReport(*report).find("YouTube"), std::string::npos);

  // Same inputs and seed: byte-identical dataset. Another seed: different.
  auto again = BuildDataset(o, {pcap}, TempPath("again.pktd"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->dataset_sha256, report->dataset_sha256);
  o.seed = 1;
  auto other = BuildDataset(o, {pcap}, TempPath("other.pktd"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->dataset_sha256, report->dataset_sha256);
}

TEST(SynthTest, ShortClassesAreAnErrorUnlessTakeAvailable) {
  const std::string pcap = WriteSynth("short.pcap", SynthOptions());
  PreprocessOptions o;
  o.per_class = 1000;
  auto d = BuildDatasetInMemory(o, {pcap}, nullptr);
  ASSERT_FALSE(d.ok());
  for (const std::string& label : kAppLabels) {
    EXPECT_NE(d.status().message().find(label + "=320"), std::string::npos)
        << d.status();
  }
  o.take_available = true;
  o.classes = "top:3";
  d = BuildDatasetInMemory(o, {pcap}, nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rows(), 3u * 320u);
  // 7 classes tie at 320: top:3 takes the first three names.
  EXPECT_EQ(d->class_names,
            (std::vector<std::string>{"BitTorrent", "Facebook", "Instagram"}));
}

TEST(SynthTest, SplitByFlowAndMaxPerFlow) {
  const std::string pcap = WriteSynth("flows.pcap", SynthOptions());
  PreprocessOptions o;
  o.per_class = 0;
  o.split_by_flow = true;
  o.max_per_flow = 5;
  o.classes = "YouTube,Teams";
  o.merges = {"NetFlix=YouTube"};
  auto d = BuildDatasetInMemory(o, {pcap}, nullptr);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->class_names, (std::vector<std::string>{"Teams", "YouTube"}));
  // 5 packets per flow; YouTube gained NetFlix's 10 flows.
  EXPECT_EQ(d->rows(), 10u * 5u + 20u * 5u);
  std::map<uint32_t, std::set<Split>> parts;
  for (size_t r = 0; r < d->rows(); ++r) {
    parts[d->flow_ids[r]].insert(d->splits[r]);
  }
  EXPECT_EQ(parts.size(), 30u);
  for (const auto& [flow, set] : parts) EXPECT_EQ(set.size(), 1u);
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
