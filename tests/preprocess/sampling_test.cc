// Label policy, class selection, reservoir sampling and stratified splits.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/label_policy.h"
#include "preprocess/sampler.h"

namespace pktgrid {
namespace preprocess {
namespace {

TEST(LabelPolicyTest, MergesThenDrops) {
  auto policy = LabelPolicy::Create(DefaultDropLabels(),
                                    {"WhatsAppFiles=WhatsApp", "QUIC=TLS"});
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->Map("WhatsAppFiles"), "WhatsApp");
  EXPECT_EQ(policy->Map("YouTube"), "YouTube");
  EXPECT_EQ(policy->Map("TLS"), "");
  EXPECT_EQ(policy->Map("QUIC"), "");  // merged into a dropped label
  EXPECT_EQ(policy->Map("Unknown"), "");
  EXPECT_FALSE(LabelPolicy::Create({}, {"novalue"}).ok());
  EXPECT_FALSE(LabelPolicy::Create({}, {"=B"}).ok());
}

TEST(ClassSelectionTest, TopNBreaksTiesByName) {
  const std::map<std::string, uint64_t> counts = {
      {"A", 5}, {"B", 9}, {"C", 5}, {"D", 1}};
  auto top = ClassSelection::Parse("top:3");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top->Select(counts), (std::vector<std::string>{"A", "B", "C"}));
  auto all = ClassSelection::Parse("");
  EXPECT_EQ(all->Select(counts)->size(), 4u);
  auto list = ClassSelection::Parse("D, B");
  EXPECT_TRUE(list->MayKeep("B"));
  EXPECT_FALSE(list->MayKeep("A"));
  EXPECT_EQ(*list->Select(counts), (std::vector<std::string>{"B", "D"}));
  auto missing = ClassSelection::Parse("B,Zoom");
  EXPECT_FALSE(missing->Select(counts).ok());
  EXPECT_FALSE(ClassSelection::Parse("top:0").ok());
  EXPECT_FALSE(ClassSelection::Parse("top:x").ok());
}

TEST(ClassSamplerTest, CapsAndIsDeterministic) {
  auto run = [](uint64_t seed) {
    ClassSampler s(10, seed);
    for (uint64_t i = 0; i < 1000; ++i) {
      s.Add(i % 3 ? "big" : "other", SampleRow{"", 0, i});
    }
    for (uint64_t i = 0; i < 4; ++i) s.Add("small", SampleRow{"", 0, 2000 + i});
    EXPECT_EQ(s.Counts().at("big"), 666u);
    EXPECT_EQ(s.Counts().at("small"), 4u);
    std::vector<uint64_t> seqs;
    for (const auto& r : s.Take("big")) seqs.push_back(r.seq);
    EXPECT_EQ(s.Take("small").size(), 4u);
    return seqs;
  };
  const auto a = run(42), b = run(42), c = run(7);
  EXPECT_EQ(a.size(), 10u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  // A uniform sample of 10 from 666 almost surely reaches past the first 10.
  EXPECT_GT(a.back(), 100u);
}

TEST(SplitTest, StratifiedCountsFollowRatios) {
  std::vector<uint32_t> flows(10000);
  for (uint32_t i = 0; i < flows.size(); ++i) flows[i] = i / 7;
  const auto splits = AssignSplits(flows, SplitRatios(), false, 42);
  std::map<Split, int> n;
  for (Split s : splits) ++n[s];
  EXPECT_EQ(n[Split::kTrain], 6400);
  EXPECT_EQ(n[Split::kVal], 1600);
  EXPECT_EQ(n[Split::kTest], 2000);
  EXPECT_EQ(splits, AssignSplits(flows, SplitRatios(), false, 42));
  EXPECT_NE(splits, AssignSplits(flows, SplitRatios(), false, 43));
}

TEST(SplitTest, ByFlowKeepsFlowsWhole) {
  std::vector<uint32_t> flows;
  for (uint32_t f = 0; f < 100; ++f) {
    for (uint32_t k = 0; k < 1 + f % 5; ++k) flows.push_back(f);
  }
  const auto splits = AssignSplits(flows, SplitRatios(), true, 42);
  std::map<uint32_t, std::set<Split>> parts;
  std::map<Split, int> n;
  for (size_t i = 0; i < flows.size(); ++i) {
    parts[flows[i]].insert(splits[i]);
    ++n[splits[i]];
  }
  for (const auto& [flow, set] : parts) EXPECT_EQ(set.size(), 1u) << flow;
  // 300 rows: the shares are approximate but every part gets rows.
  EXPECT_NEAR(n[Split::kTrain], 192, 6);
  EXPECT_NEAR(n[Split::kVal], 48, 6);
  EXPECT_GT(n[Split::kTest], 40);
}

}  // namespace
}  // namespace preprocess
}  // namespace pktgrid
