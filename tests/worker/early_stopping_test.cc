#include "worker/early_stopping.h"

#include <vector>

#include "gtest/gtest.h"

namespace pktgrid {
namespace {

// Feeds a validation curve until the rule says stop; returns epochs run.
int RunCurve(EarlyStopping& stopping, const std::vector<double>& curve) {
  int epoch = 0;
  for (double acc : curve) {
    stopping.Update(++epoch, acc);
    if (stopping.ShouldStop()) break;
  }
  return epoch;
}

TEST(EarlyStoppingTest, KeepsTheBestEpochAndStopsAfterPatience) {
  EarlyStopping stopping(3);
  // Epoch 6 only ties the best (epoch 4): not an improvement, like Keras.
  const int epochs =
      RunCurve(stopping, {0.5, 0.6, 0.55, 0.7, 0.65, 0.7, 0.6, 0.9, 0.95});
  EXPECT_EQ(epochs, 7);
  EXPECT_EQ(stopping.best_epoch(), 4);
  EXPECT_DOUBLE_EQ(stopping.best_value(), 0.7);
}

TEST(EarlyStoppingTest, ImprovementResetsPatience) {
  EarlyStopping stopping(2);
  const int epochs = RunCurve(stopping, {0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.3});
  EXPECT_EQ(epochs, 7);
  EXPECT_EQ(stopping.best_epoch(), 5);
}

TEST(EarlyStoppingTest, UpdateSaysWhenToSnapshot) {
  EarlyStopping stopping(5);
  EXPECT_TRUE(stopping.Update(1, 0.0));  // the first epoch is always kept
  EXPECT_FALSE(stopping.Update(2, 0.0));
  EXPECT_TRUE(stopping.Update(3, 0.1));
  EXPECT_FALSE(stopping.ShouldStop());
}

}  // namespace
}  // namespace pktgrid
