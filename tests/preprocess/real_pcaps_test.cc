// nDPI labelling of real captures agrees with the reference labelling made
// by Debian nDPI 4.2's ndpiReader. Needs ../shared/pcaps next to the
// workspace (or PKTGRID_SHARED_PCAPS); skips with a message otherwise.

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/input_files.h"
#include "preprocess/pcapng_reader.h"
#include "preprocess/pipeline.h"
#include "tests/preprocess/shared_pcaps.h"

namespace pktgrid {
namespace preprocess {
namespace {

namespace fs = std::filesystem;

// Payload packets per label for each file, from the reference TSV.
std::map<std::string, std::map<std::string, uint64_t>> ReferenceCounts(
    const std::string& tsv) {
  std::map<std::string, std::map<std::string, uint64_t>> out;
  for (const auto& [file, frames] : ReadReferenceLabels(tsv)) {
    for (const auto& [frame, packet] : frames) ++out[file][packet.label];
  }
  return out;
}

TEST(RealPcapsTest, LabelsAgreeWithNdpiReader) {
  const std::string dir = SharedPcapsDir();
  if (dir.empty() || !fs::is_directory(dir + "/ndpi")) {
    GTEST_SKIP() << "../shared/pcaps not found; skipping";
  }
  // Ethernet, Linux SLL, a classic pcap named .pcapng (raw IP), a pcapng
  // named .pcap, and the largest capture of the corpus.
  const std::vector<std::string> files = {
      "bittorrent.pcap",     "KakaoTalk_chat.pcap", "bets.pcapng",
      "bittorrent_utp.pcap", "facebook.pcap",       "1kxun.pcap"};
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(dir + "/ndpi/" + f);

  PreprocessOptions o;
  o.drop_labels.clear();
  o.per_class = 0;
  PreprocessReport report;
  auto d = BuildDatasetInMemory(o, paths, &report);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(report.errors.empty()) << report.errors.front();

  const auto reference = ReferenceCounts(dir + "/ndpi-4.2-packet-labels.tsv");
  ASSERT_EQ(report.files.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const FileSummary& s = report.files[i];
    const auto& ref = reference.at(files[i]);
    uint64_t agree = 0, total = 0, ours = 0;
    for (const auto& [label, n] : ref) {
      total += n;
      auto it = s.labels.find(label);
      agree += it == s.labels.end() ? 0 : std::min(n, it->second);
    }
    for (const auto& [label, n] : s.labels) ours += n;
    EXPECT_EQ(ours, total) << files[i] << ": payload packets differ";
    EXPECT_GE(agree, total * 97 / 100)
        << files[i] << ": " << agree << " of " << total << " agree";
  }
  EXPECT_EQ(report.files[0].labels.at("BitTorrent"), 299u);
  EXPECT_EQ(report.files[1].link_type, 113);  // Linux cooked capture
  EXPECT_GT(d->class_names.size(), 10u);
}

// PcapngReader, which replaced libpcap for pcapng, returns exactly what
// libpcap does (frames, lengths, bytes, microsecond times, link type) on
// every pcapng capture of the corpus, none of which libpcap refuses.
TEST(RealPcapsTest, PcapngReaderMatchesLibpcap) {
  const std::string dir = SharedPcapsDir();
  if (dir.empty() || !fs::is_directory(dir + "/ndpi")) {
    GTEST_SKIP() << "../shared/pcaps not found; skipping";
  }
  size_t files = 0;
  uint64_t frames = 0;
  for (const std::string& path : ExpandInputs({dir + "/ndpi"})) {
    char magic[4] = {};
    std::ifstream(path, std::ios::binary).read(magic, 4);
    if (memcmp(magic, "\x0a\x0d\x0d\x0a", 4) != 0) continue;
    ++files;
    auto ours = PcapngReader::Open(path);
    ASSERT_TRUE(ours.ok()) << ours.status();
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* pcap = pcap_open_offline_with_tstamp_precision(
        path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    ASSERT_NE(pcap, nullptr) << errbuf;
    EXPECT_EQ((*ours)->link_type(), pcap_datalink(pcap)) << path;
    CapturedFrame frame;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    uint64_t n = 0;
    for (; pcap_next_ex(pcap, &header, &data) == 1; ++n) {
      ASSERT_TRUE((*ours)->Next(&frame)) << path << " frame " << n;
      ASSERT_EQ(frame.caplen, header->caplen) << path << " frame " << n;
      EXPECT_EQ(frame.wire_len, header->len) << path << " frame " << n;
      EXPECT_EQ(frame.link_type, pcap_datalink(pcap)) << path;
      EXPECT_EQ(frame.time_us,
                static_cast<uint64_t>(header->ts.tv_sec) * 1000000 +
                    static_cast<uint64_t>(header->ts.tv_usec) / 1000)
          << path << " frame " << n;
      EXPECT_EQ(memcmp(frame.data, data, frame.caplen), 0)
          << path << " frame " << n;
    }
    EXPECT_FALSE((*ours)->Next(&frame)) << path << ": more frames";
    EXPECT_TRUE((*ours)->error().ok()) << (*ours)->error();
    pcap_close(pcap);
    frames += n;
  }
  printf("%zu pcapng files, %llu frames read alike\n", files,
         static_cast<unsigned long long>(frames));
  EXPECT_GT(files, 100u);
  EXPECT_GT(frames, 10000u);
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
