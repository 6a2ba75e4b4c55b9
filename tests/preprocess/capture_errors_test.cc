// Unreadable captures are reported by name and do not stop the others.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "preprocess/pipeline.h"
#include "preprocess/synth.h"

namespace pktgrid {
namespace preprocess {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(CaptureErrorsTest, BadFilesAreNamedAndGoodOnesStillProcessed) {
  SynthOptions synth;
  synth.apps = {"youtube", "bittorrent"};
  auto bytes = SynthCaptureBytes(synth);
  ASSERT_TRUE(bytes.ok());
  const std::string good = TempPath("good.pcap");
  const std::string missing = TempPath("missing.pcap");
  const std::string garbage = TempPath("garbage.pcap");
  const std::string truncated = TempPath("truncated.pcap");
  WriteFile(good, *bytes);
  WriteFile(garbage, "this is not a capture file at all, just text\n");
  // Cut in the middle of a record: libpcap reports a truncated dump file.
  WriteFile(truncated, bytes->substr(0, bytes->size() / 2 + 7));

  PreprocessOptions o;
  o.per_class = 100;
  PreprocessReport report;
  auto d =
      BuildDatasetInMemory(o, {missing, garbage, truncated, good}, &report);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(report.files.size(), 4u);
  ASSERT_EQ(report.errors.size(), 3u);
  EXPECT_NE(report.errors[0].find(missing), std::string::npos);
  EXPECT_NE(report.errors[1].find(garbage), std::string::npos);
  EXPECT_NE(report.errors[2].find(truncated), std::string::npos);
  EXPECT_NE(report.errors[2].find("truncated"), std::string::npos)
      << report.errors[2];
  // The truncated file's first half still counts.
  EXPECT_GT(report.files[2].frames, 100u);
  EXPECT_TRUE(report.files[3].error.empty());
  EXPECT_EQ(report.files[3].payload_packets, 2u * 10u * 32u);
  EXPECT_EQ(d->class_names,
            (std::vector<std::string>{"BitTorrent", "YouTube"}));
  EXPECT_EQ(d->rows(), 200u);
  // The summary table shows the errors by file name.
  const std::string table = FormatReport(report);
  EXPECT_NE(table.find("missing.pcap"), std::string::npos);
  EXPECT_NE(table.find("ERROR"), std::string::npos);
}

TEST(CaptureErrorsTest, OnlyBadFilesIsAnError) {
  PreprocessOptions o;
  auto d = BuildDatasetInMemory(o, {TempPath("nothing-here.pcap")}, nullptr);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("nothing-here.pcap"), std::string::npos)
      << d.status();
}

TEST(CaptureErrorsTest, DirectoryInputsAreExpandedInOrder) {
  const std::string dir = TempPath("dir");
  std::filesystem::create_directories(dir + "/sub");
  SynthOptions synth;
  synth.apps = {"facebook"};
  ASSERT_TRUE(WriteSynthCapture(dir + "/sub/b.pcapng", synth).ok());
  synth.apps = {"netflix"};
  ASSERT_TRUE(WriteSynthCapture(dir + "/a.bin", synth).ok());
  PreprocessOptions o;
  o.per_class = 0;
  PreprocessReport report;
  auto d = BuildDatasetInMemory(o, {dir}, &report);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(report.files.size(), 2u);
  EXPECT_EQ(report.files[0].path, dir + "/a.bin");
  EXPECT_EQ(d->class_names, (std::vector<std::string>{"Facebook", "NetFlix"}));
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
