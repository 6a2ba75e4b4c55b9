// Parameter counts: closed form (architecture.cc) == the paper == the torch
// model actually built (models.cc).
#include "worker/architecture.h"

#include "gtest/gtest.h"
#include "worker/models.h"

namespace pktgrid {
namespace {

struct PaperConfig {
  const char* family;
  const char* size;
  int64_t params;
};

constexpr PaperConfig kPaper[] = {
    {"deep_cnn", "4", 1978},
    {"deep_cnn", "8", 7690},
    {"deep_cnn", "16", 30346},
    {"deep_cnn", "32", 120586},
    {"deep_cnn", "64", 480778},
    {"deep_cnn", "128", 1920010},
    {"shallow_cnn", "4", 2952},
    {"shallow_cnn", "8", 8763},
    {"shallow_cnn", "16", 29025},
    {"shallow_cnn", "32", 127171},
    {"shallow_cnn", "64", 484721},
    {"shallow_cnn", "128", 1983203},
    {"shallow_mlp", "1", 1501},
    {"shallow_mlp", "5", 7465},
    {"shallow_mlp", "20", 29830},
    {"shallow_mlp", "81", 120781},
    {"shallow_mlp", "322", 480112},
    {"shallow_mlp", "1288", 1920418},
    {"deep_mlp", "1,1,1", 1505},
    {"deep_mlp", "5,10,10", 7685},
    {"deep_mlp", "20,50,50", 33730},
    {"deep_mlp", "70,100,100", 121880},
    {"deep_mlp", "200,350,350", 492910},
    {"deep_mlp", "450,900,900", 1892260},
    {"svm", "", 14810},
};

TEST(ArchitectureTest, PaperCountsMatchClosedFormAndBuiltModels) {
  for (const auto& c : kPaper) {
    SCOPED_TRACE(std::string(c.family) + " " + c.size);
    auto arch = ResolveArchitecture(c.family, c.size, 0, 1480, 10);
    ASSERT_TRUE(arch.ok()) << arch.status();
    EXPECT_EQ(arch->param_count, c.params);
    if (IsSvm(arch->family)) continue;
    auto model = BuildTorchModel(*arch, 0.1);
    ASSERT_TRUE(model.ok()) << model.status();
    EXPECT_EQ(CountParameters(*model->net), c.params);
  }
}

TEST(ArchitectureTest, PaperSizesListTheTable) {
  int listed = 0;
  for (Family f : {Family::kDeepCnn, Family::kShallowCnn, Family::kShallowMlp,
                   Family::kDeepMlp, Family::kSvm}) {
    for (const std::string& size : PaperSizes(f)) {
      bool found = false;
      for (const auto& c : kPaper) {
        found |= FamilyName(f) == c.family &&
                 ResolveSize(f, size, 1480, 10)->param_count == c.params;
      }
      EXPECT_TRUE(found) << FamilyName(f) << " " << size;
      ++listed;
    }
  }
  EXPECT_EQ(listed, 25);
}

TEST(ArchitectureTest, ShallowCnnDenseWidthFollowsThePaper) {
  const int filters[] = {4, 8, 16, 32, 64, 128};
  const int dense[] = {2, 3, 5, 11, 21, 43};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(ShallowCnnDense(filters[i]), dense[i]);
  EXPECT_EQ(ResolveSize(Family::kShallowCnn, "8,7", 1480, 10)->SizeString(),
            "8,7");
}

TEST(ArchitectureTest, BudgetSolverPicksTheClosestWidth) {
  struct Case {
    Family family;
    int64_t budget;
    const char* size;
    int64_t params;
  };
  const Case cases[] = {
      {Family::kDeepCnn, 1 << 17, "33", 128215},
      {Family::kShallowCnn, 1 << 17, "33,11", 131141},
      {Family::kShallowMlp, 1 << 17, "88", 131218},
      // Ratios of the nearest paper shape, (70,100,100).
      {Family::kDeepMlp, 1 << 17, "75,107,107", 131843},
      {Family::kDeepCnn, 1000000, "92", 992506},
      {Family::kShallowMlp, 10000, "7", 10447},
      {Family::kDeepMlp, 1892260, "450,900,900", 1892260},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(FamilyName(c.family) + " " + std::to_string(c.budget));
    auto arch = ResolveBudget(c.family, c.budget, 1480, 10);
    ASSERT_TRUE(arch.ok()) << arch.status();
    EXPECT_EQ(arch->SizeString(), c.size);
    EXPECT_EQ(arch->param_count, c.params);
    // The budget form and the size form describe the same model.
    EXPECT_EQ(ResolveSize(c.family, c.size, 1480, 10)->param_count, c.params);
  }
  EXPECT_FALSE(ResolveBudget(Family::kSvm, 1000, 1480, 10).ok());
  EXPECT_FALSE(ResolveBudget(Family::kDeepCnn, 0, 1480, 10).ok());
}

TEST(ArchitectureTest, InputShapes) {
  EXPECT_EQ(ResolveInputShape(Family::kDeepCnn, 1480)->height, 40);
  EXPECT_EQ(ResolveInputShape(Family::kDeepCnn, 1480)->width, 37);
  EXPECT_EQ(ResolveInputShape(Family::kShallowCnn, 144)->height, 12);
  EXPECT_EQ(ResolveInputShape(Family::kDeepMlp, 1000)->width, 1000);
  const auto bad = ResolveInputShape(Family::kDeepCnn, 1000);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("perfect square"), std::string::npos);
  // 4x4 pools twice to 1x1; 2x2 cannot.
  EXPECT_TRUE(ResolveSize(Family::kDeepCnn, "32", 16, 10).ok());
  EXPECT_FALSE(ResolveSize(Family::kDeepCnn, "32", 4, 10).ok());
}

TEST(ArchitectureTest, ExperimentTwoModelsBuild) {
  for (int k = 4; k <= 36; k += 4) {
    auto arch = ResolveSize(Family::kDeepCnn, "32", k * k, 10);
    ASSERT_TRUE(arch.ok()) << arch.status();
    auto model = BuildTorchModel(*arch, 0.1);
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(CountParameters(*model->net), arch->param_count) << k;
  }
}

TEST(ArchitectureTest, SvmCounts) {
  EXPECT_EQ(ResolveSize(Family::kSvm, "", 64, 3)->param_count, 3 * 65);
  // Two classes: one weight vector, as liblinear and scikit-learn keep.
  EXPECT_EQ(ResolveSize(Family::kSvm, "", 64, 2)->param_count, 65);
}

TEST(ArchitectureTest, BadSizesAreErrors) {
  EXPECT_FALSE(ResolveArchitecture("deep_cnn", "abc", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("deep_cnn", "0", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("deep_cnn", "8,3", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("shallow_mlp", "", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("svm", "3", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("resnet", "3", 0, 1480, 10).ok());
  EXPECT_FALSE(ResolveArchitecture("deep_mlp", "5,10,10", 0, 1480, 1).ok());
}

}  // namespace
}  // namespace pktgrid
