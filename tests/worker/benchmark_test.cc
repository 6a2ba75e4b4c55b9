#include "worker/benchmark.h"

#include "gtest/gtest.h"
#include "tests/worker/tiny_dataset.h"
#include "worker/trainer.h"

namespace pktgrid {
namespace {

std::string TrainTiny(const std::string& family, const std::string& size,
                      const Dataset& dataset) {
  TrialConfig c;
  c.set_family(family);
  c.set_size(size);
  c.set_learning_rate(0.005);
  c.set_input_bytes(64);
  c.mutable_training()->set_max_epochs(1);
  c.set_seed(1);
  TrainEnv env;
  env.threads = 1;
  auto out = TrainTrial(c, dataset, env, nullptr);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->model_artifact : "";
}

BenchConfig Bench() {
  BenchConfig config;
  config.mutable_options()->set_runs(3);
  config.mutable_options()->set_sample_packets(200);
  config.set_seed(42);
  return config;
}

void ExpectSane(const BenchResult& r, int sample, int batch) {
  EXPECT_GT(r.pps(), 0);
  EXPECT_GE(r.pps_stderr(), 0);
  EXPECT_EQ(r.runs(), 3);
  EXPECT_EQ(r.sample_packets(), sample);
  EXPECT_EQ(r.batch_size(), batch);
  EXPECT_GT(r.latency_p50_us(), 0);
  EXPECT_LE(r.latency_p50_us(), r.latency_p90_us());
  EXPECT_LE(r.latency_p90_us(), r.latency_p99_us());
  EXPECT_GT(r.peak_rss_bytes(), 0);
}

TEST(BenchmarkTest, TinyNetworkAndSvm) {
  const Dataset dataset = TinyDataset(1200, 64);  // 240 test rows
  auto cnn =
      BenchmarkModel(TrainTiny("deep_cnn", "4", dataset), dataset, Bench());
  ASSERT_TRUE(cnn.ok()) << cnn.status();
  ExpectSane(*cnn, 200, 32);
  // SVMs predict the whole sample in one call, like the paper.
  auto svm = BenchmarkModel(TrainTiny("svm", "", dataset), dataset, Bench());
  ASSERT_TRUE(svm.ok()) << svm.status();
  ExpectSane(*svm, 200, 200);
}

TEST(BenchmarkTest, SampleIsCappedByTheTestSplit) {
  const Dataset dataset = TinyDataset(300, 64);  // 60 test rows
  auto r =
      BenchmarkModel(TrainTiny("shallow_mlp", "4", dataset), dataset, Bench());
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSane(*r, 60, 32);
}

TEST(BenchmarkTest, CorruptModelIsAnError) {
  const Dataset dataset = TinyDataset(300, 64);
  EXPECT_FALSE(BenchmarkModel("garbage", dataset, Bench()).ok());
}

}  // namespace
}  // namespace pktgrid
