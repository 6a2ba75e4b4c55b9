#include "coordinator/sweep_spec.h"

#include <set>
#include <tuple>

#include "gtest/gtest.h"

namespace pktgrid {
namespace {

SweepSpec Parse(const std::string& text) {
  auto spec = ParseSweepSpec(text, "test.textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  auto normalized = NormalizeSweepSpec(*spec);
  EXPECT_TRUE(normalized.ok()) << normalized.status();
  return *normalized;
}

TEST(SweepSpec, ExpandsToTheExactTrialSet) {
  SweepSpec spec = Parse(R"pb(
    grids {
      family: "deep_cnn"
      sizes: [ "4", "8" ]
      learning_rates: [ 0.01, 0.001 ]
      dropouts: [ 0.1, 0.5 ]
    }
    grids { family: "svm" }
    grids {
      family: "shallow_mlp"
      param_budgets: 131072
      learning_rates: 0.005
      dropouts: 0.2
      input_bytes: [ 64, 256 ]
      skip_bytes: 20
    }
  )pb");
  std::vector<TrialConfig> trials = ExpandSweep(spec, "abc");
  ASSERT_EQ(trials.size(), 8u + 1u + 2u);

  using Key =
      std::tuple<std::string, std::string, int64_t, double, double, int, int>;
  std::set<Key> got;
  for (const TrialConfig& t : trials) {
    got.insert({t.family(), t.size(), t.param_budget(), t.learning_rate(),
                t.dropout(), t.input_bytes(), t.skip_bytes()});
    EXPECT_EQ(t.dataset_sha256(), "abc");
    EXPECT_EQ(t.seed(), 42u);
    EXPECT_EQ(t.training().batch_size(), 32);
    EXPECT_EQ(t.training().max_epochs(), 50);
    EXPECT_EQ(t.training().patience(), 5);
    EXPECT_DOUBLE_EQ(t.training().l2(), 0.01);
    EXPECT_EQ(t.trial_id().size(), 32u);
  }
  std::set<Key> want = {
      {"deep_cnn", "4", 0, 0.01, 0.1, 1480, 0},
      {"deep_cnn", "4", 0, 0.01, 0.5, 1480, 0},
      {"deep_cnn", "4", 0, 0.001, 0.1, 1480, 0},
      {"deep_cnn", "4", 0, 0.001, 0.5, 1480, 0},
      {"deep_cnn", "8", 0, 0.01, 0.1, 1480, 0},
      {"deep_cnn", "8", 0, 0.01, 0.5, 1480, 0},
      {"deep_cnn", "8", 0, 0.001, 0.1, 1480, 0},
      {"deep_cnn", "8", 0, 0.001, 0.5, 1480, 0},
      {"svm", "", 0, 0, 0, 1480, 0},
      {"shallow_mlp", "", 131072, 0.005, 0.2, 64, 20},
      {"shallow_mlp", "", 131072, 0.005, 0.2, 256, 20},
  };
  EXPECT_EQ(got, want);

  // Ids are a function of the configuration: the same spec gives the same
  // ids, a different dataset different ones.
  std::vector<TrialConfig> again = ExpandSweep(spec, "abc");
  std::vector<TrialConfig> other = ExpandSweep(spec, "def");
  for (size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].trial_id(), again[i].trial_id());
    EXPECT_NE(trials[i].trial_id(), other[i].trial_id());
  }
}

TEST(SweepSpec, PaperPresetHasThePapersGrid) {
  auto exp1 = PresetSpec("paper-exp1");
  ASSERT_TRUE(exp1.ok()) << exp1.status();
  auto normalized = NormalizeSweepSpec(*exp1);
  ASSERT_TRUE(normalized.ok()) << normalized.status();
  // 4 families x 6 sizes x 5 learning rates x 4 dropouts, plus the SVM.
  EXPECT_EQ(ExpandSweep(*normalized, "d").size(), 4u * 6 * 5 * 4 + 1);

  auto exp2 = NormalizeSweepSpec(*PresetSpec("paper-exp2"));
  ASSERT_TRUE(exp2.ok());
  // 9 input sizes x 20 (lr, dropout) points of deep_cnn f=32.
  std::vector<TrialConfig> trials = ExpandSweep(*exp2, "d");
  ASSERT_EQ(trials.size(), 9u * 20);
  EXPECT_EQ(trials.front().input_bytes(), 16);
  EXPECT_EQ(trials.back().input_bytes(), 1296);
  EXPECT_EQ(trials.front().skip_bytes(), 20);

  auto paper = NormalizeSweepSpec(*PresetSpec("paper"));
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(ExpandSweep(*paper, "d").size(), 481u + 180u);

  auto quick = NormalizeSweepSpec(*PresetSpec("quick"));
  ASSERT_TRUE(quick.ok()) << quick.status();
  EXPECT_EQ(ExpandSweep(*quick, "d").size(), 11u);
}

TEST(SweepSpec, UnknownFamilyIsAClearError) {
  auto spec = ParseSweepSpec(R"pb(grids {
                                    family: "resnet"
                                    sizes: "4"
                                    learning_rates: 0.1
                                    dropouts: 0
                                  })pb",
                             "x");
  ASSERT_TRUE(spec.ok());
  auto normalized = NormalizeSweepSpec(*spec);
  ASSERT_FALSE(normalized.ok());
  EXPECT_EQ(normalized.status().message(),
            "sweep spec: grids[0] (family \"resnet\"): unknown family; "
            "expected one of deep_cnn, shallow_cnn, deep_mlp, shallow_mlp, "
            "svm, svm_libsvm");
}

TEST(SweepSpec, EmptyGridsAreClearErrors) {
  auto none = NormalizeSweepSpec(SweepSpec());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "sweep spec: empty grid: no grids given");

  auto spec = ParseSweepSpec(
      R"pb(grids { family: "deep_mlp" sizes: "5,10,10" dropouts: 0.1 })pb",
      "x");
  ASSERT_TRUE(spec.ok());
  auto normalized = NormalizeSweepSpec(*spec);
  ASSERT_FALSE(normalized.ok());
  EXPECT_EQ(normalized.status().message(),
            "sweep spec: grids[0] (family \"deep_mlp\"): empty grid: "
            "learning_rates is empty");

  auto bad_size = NormalizeSweepSpec(*ParseSweepSpec(R"pb(grids {
                                                            family: "deep_mlp"
                                                            sizes: "5,x"
                                                            learning_rates: 0.1
                                                            dropouts: 0.1
                                                          })pb",
                                                     "x"));
  ASSERT_FALSE(bad_size.ok());
  EXPECT_NE(bad_size.status().message().find("size \"5,x\""),
            std::string::npos);
}

TEST(SweepSpec, SyntaxErrorsNameTheFileAndLine) {
  auto spec = ParseSweepSpec("grids {\n  famly: \"svm\"\n}\n", "my.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message().substr(0, 28),
            "my.textproto: line 2 column ");
  EXPECT_NE(spec.status().message().find("famly"), std::string::npos);
}

TEST(SweepSpec, UnknownPresetListsTheKnownOnes) {
  auto spec = PresetSpec("fast");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            "unknown preset \"fast\"; expected one of quick, paper-exp1, "
            "paper-exp2, paper");
}

}  // namespace
}  // namespace pktgrid

namespace pktgrid {
namespace {

TEST(SweepSpec, CnnInputSizesFollowTheWorkersShapeRule) {
  auto spec = ParseSweepSpec(R"pb(grids {
                                    family: "deep_cnn"
                                    sizes: "4"
                                    learning_rates: 0.1
                                    dropouts: 0
                                    input_bytes: [ 1480, 64, 99 ]
                                  })pb",
                             "x");
  ASSERT_TRUE(spec.ok());
  auto normalized = NormalizeSweepSpec(*spec);
  ASSERT_FALSE(normalized.ok());
  EXPECT_EQ(normalized.status().message(),
            "sweep spec: grids[0] (family \"deep_cnn\"): input_bytes 99: a "
            "CNN takes 1480 (40x37) or a perfect square k*k");
  spec->mutable_grids(0)->set_family("shallow_mlp");  // MLPs take any size
  EXPECT_TRUE(NormalizeSweepSpec(*spec).ok());
}

}  // namespace
}  // namespace pktgrid
