#include "worker/benchmark.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "worker/model_file.h"
#include "worker/torch_runtime.h"

namespace pktgrid {
namespace {

using Clock = std::chrono::steady_clock;

// numpy.percentile's default (linear interpolation) over sorted values.
double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q / 100.0 * (sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), 0 if missing.
int64_t ProcStatusBytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::strtoll(line.c_str() + field.size() + 1, nullptr, 10) * 1024;
    }
  }
  return 0;
}

// Restarts the peak-RSS high-water mark at the current RSS, so the peak
// reported is this benchmark's, not the worker's whole life's.
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The core we run on when the caller pinned us to exactly one, else -1.
int PinnedCpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0 || CPU_COUNT(&set) != 1) {
    return -1;
  }
  return sched_getcpu();
}

// Seeded sample of `count` distinct rows (partial Fisher-Yates).
std::vector<size_t> SampleRows(std::vector<size_t> rows, size_t count,
                               uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < count; ++i) {
    std::uniform_int_distribution<size_t> pick(i, rows.size() - 1);
    std::swap(rows[i], rows[pick(rng)]);
  }
  rows.resize(count);
  return rows;
}

// One prediction of all `n` inputs in batches; returns its wall time (s).
absl::StatusOr<double> TimedPass(Predictor& predictor, const float* x, size_t n,
                                 size_t batch, std::vector<int32_t>& out) {
  const size_t width = predictor.header().arch.input.bytes;
  const auto start = Clock::now();
  for (size_t begin = 0; begin < n; begin += batch) {
    const size_t count = std::min(batch, n - begin);
    absl::Status s =
        predictor.Predict(x + begin * width, count, out.data() + begin);
    if (!s.ok()) return s;
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

absl::StatusOr<BenchResult> BenchmarkModel(const std::string& model_artifact,
                                           const Dataset& dataset,
                                           const BenchConfig& config) {
  const BenchOptions& o = config.options();
  const int runs = o.runs() > 0 ? o.runs() : 25;
  ResetPeakRss();
  const int64_t rss_before = ProcStatusBytes("VmRSS");
  auto predictor = LoadModel(model_artifact);
  if (!predictor.ok()) return predictor.status();
  const ModelHeader& header = (*predictor)->header();
  if (dataset.class_names != header.class_names) {
    return absl::FailedPreconditionError(
        "the dataset's classes differ from the model's");
  }
  std::vector<size_t> test = dataset.RowsOf(Split::kTest);
  if (test.empty()) {
    return absl::FailedPreconditionError("the dataset has no test rows");
  }
  const size_t n = std::min<size_t>(
      test.size(), o.sample_packets() > 0 ? o.sample_packets() : 10000);
  // Scaled once up front: the paper timed predict() on a ready array.
  auto x = ScaledInput(dataset, SampleRows(std::move(test), n, config.seed()),
                       header.skip_bytes, header.arch.input.bytes);
  if (!x.ok()) return x.status();
  // The paper predicted SVMs in one call and networks in Keras' batches.
  const size_t batch =
      IsSvm(header.arch.family)
          ? n
          : static_cast<size_t>(o.batch_size() > 0 ? o.batch_size() : 32);

  UseSingleTorchThread();
  std::vector<int32_t> out(n);
  std::vector<double> pps;
  for (int run = 0; run <= runs; ++run) {  // run 0 is the warm-up
    auto seconds = TimedPass(**predictor, x->data(), n, batch, out);
    if (!seconds.ok()) return seconds.status();
    if (run > 0) pps.push_back(n / std::max(*seconds, 1e-12));
  }
  double mean_time = 0, mean_pps = 0, var_pps = 0;
  for (double p : pps) {
    mean_time += n / p;
    mean_pps += p;
  }
  mean_time /= runs;
  mean_pps /= runs;
  for (double p : pps) var_pps += (p - mean_pps) * (p - mean_pps);
  var_pps /= runs;  // population variance, as numpy.std

  // Batch-1 latency: one packet per call, the online-classification case.
  const size_t latency_packets = std::min<size_t>(n, 1000);
  std::vector<double> latency_us;
  for (size_t i = 0; i < latency_packets; ++i) {
    auto seconds = TimedPass(
        **predictor, x->data() + i * header.arch.input.bytes, 1, 1, out);
    if (!seconds.ok()) return seconds.status();
    latency_us.push_back(*seconds * 1e6);
  }
  std::sort(latency_us.begin(), latency_us.end());

  BenchResult r;
  r.set_pps(n / mean_time);
  r.set_pps_stderr(std::sqrt(var_pps) / std::sqrt(static_cast<double>(runs)));
  r.set_runs(runs);
  r.set_sample_packets(static_cast<int>(n));
  r.set_batch_size(static_cast<int>(batch));
  r.set_latency_p50_us(Percentile(latency_us, 50));
  r.set_latency_p90_us(Percentile(latency_us, 90));
  r.set_latency_p99_us(Percentile(latency_us, 99));
  const int64_t peak = ProcStatusBytes("VmHWM");
  r.set_peak_rss_bytes(peak);
  r.set_model_rss_bytes(std::max<int64_t>(0, peak - rss_before));
  r.set_cpu(PinnedCpu());
  return r;
}

}  // namespace pktgrid
