#ifndef PKTGRID_WORKER_BENCHMARK_H_
#define PKTGRID_WORKER_BENCHMARK_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/pktgrid.pb.h"
#include "storage/dataset_file.h"

namespace pktgrid {

// Measures prediction speed the paper's way: a fixed seeded sample of test
// packets, one warm-up plus `runs` timed predictions of the whole sample in
// batches, PPS = N / mean time, standard error of the per-run PPS. Also
// batch-1 latency percentiles and peak RSS. The caller pins the process.
absl::StatusOr<BenchResult> BenchmarkModel(const std::string& model_artifact,
                                           const Dataset& dataset,
                                           const BenchConfig& config);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_BENCHMARK_H_
