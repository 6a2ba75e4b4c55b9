#ifndef PKTGRID_STORAGE_STORE_H_
#define PKTGRID_STORAGE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/sqlite_db.h"

namespace pktgrid {

// Row types mirror storage/schema.h. Blob fields are serialized protobufs the
// coordinator owns; storage never parses them, so it does not depend on proto.
struct ArtifactRow {
  std::string sha256, kind, path;
  int64_t bytes = 0;
};

struct SweepRow {
  std::string sweep_id, name, dataset_sha256, spec;
  int64_t created_ms = 0;
  int64_t trials = 0;  // filled by reads
};

struct TrialRecord {
  std::string trial_id, sweep_id, family, size;
  int64_t param_budget = 0;
  double learning_rate = 0, dropout = 0;
  int64_t input_bytes = 0;
  std::string group_key;     // trials compared for "best per group"
  std::string bench_select;  // best, all, none
  std::string config;        // TrialConfig blob
};

struct TaskRow {
  std::string task_id, trial_id, kind, status;
  int64_t attempt = 0, max_attempts = 1;
  std::string worker_id;
  int64_t lease_deadline_ms = 0;
  std::string error;
  std::string payload;  // TrialConfig or BenchConfig blob
  std::string device;   // "", "cuda" or "cpu"
};

struct EpochRow {
  int64_t attempt = 0, epoch = 0;
  double train_loss = 0, train_accuracy = 0, val_loss = 0, val_accuracy = 0;
  double seconds = 0;
};

struct ResultRow {
  std::string resolved_size;
  int64_t param_count = 0;
  double val_accuracy = 0, test_accuracy = 0, macro_f1 = 0;
  int64_t epochs = 0, best_epoch = 0;
  double train_seconds = 0;
  std::string model_sha256, device, worker_id;
  std::string detail;  // TrainResult blob
};

struct BenchRow {
  double pps = 0, pps_stderr = 0;
  int64_t runs = 0, sample_packets = 0, batch_size = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0;
  int64_t peak_rss_bytes = 0, cpu = -1;
  std::string worker_id;
  std::string detail;  // BenchResult blob
};

struct WorkerRow {
  std::string worker_id, name, role, device;
  int64_t threads = 0;
};

// Everything known about one trial, for status and result queries.
struct TrialView {
  TrialRecord trial;
  TaskRow train;
  std::optional<TaskRow> bench;
  std::optional<ResultRow> result;
  std::optional<BenchRow> benchmark;
  std::vector<EpochRow> epochs;  // of the latest attempt
};

// The coordinator's database: the only code that runs SQL. Not thread-safe;
// the coordinator serialises access (one writer).
class Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path);
  explicit Store(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  SqliteDb* db() { return db_.get(); }

  absl::Status PutArtifact(const ArtifactRow& row, int64_t now_ms);
  absl::StatusOr<std::optional<ArtifactRow>> GetArtifact(
      const std::string& sha256);

  absl::Status InsertSweep(const SweepRow& row);
  absl::StatusOr<std::optional<SweepRow>> GetSweep(const std::string& id);
  absl::StatusOr<std::vector<SweepRow>> ListSweeps();

  // Inserts the trial unless its id exists; returns whether it was new. Links
  // it to `sweep_id` either way.
  absl::StatusOr<bool> InsertTrial(const TrialRecord& row,
                                   const std::string& sweep_id, int64_t now_ms);
  absl::StatusOr<TrialRecord> GetTrial(const std::string& trial_id);
  // Trials sharing a group key within one sweep.
  absl::StatusOr<std::vector<std::string>> GroupTrials(
      const std::string& sweep_id, const std::string& group_key);

  // Inserts a task unless it exists.
  absl::Status InsertTask(const TaskRow& row, int64_t now_ms);
  // Inserts a task or replaces it (and its queue position).
  absl::Status ReplaceTask(const TaskRow& row, int64_t now_ms);
  absl::StatusOr<std::optional<TaskRow>> GetTask(const std::string& task_id);
  // The oldest queued task of a kind that a worker with `device` ("cpu" or
  // "cuda...") may run; GPU workers take tasks that need a GPU first.
  absl::StatusOr<std::optional<TaskRow>> NextQueued(const std::string& kind,
                                                    const std::string& device);
  absl::StatusOr<std::vector<TaskRow>> ExpiredLeases(int64_t now_ms);
  // Writes status, attempt, worker, deadline and error.
  absl::Status UpdateTask(const TaskRow& row, int64_t now_ms);
  // Puts a task behind every other task in the queue order.
  absl::Status MoveToBack(const std::string& task_id);

  absl::Status PutEpoch(const std::string& trial_id, const EpochRow& row);
  absl::Status PutResult(const std::string& trial_id, const ResultRow& row);
  absl::StatusOr<std::optional<ResultRow>> GetResult(
      const std::string& trial_id);
  absl::Status PutBenchmark(const std::string& trial_id, const BenchRow& row);

  absl::Status UpsertWorker(const WorkerRow& row, int64_t now_ms);
  absl::Status TouchWorker(const std::string& worker_id, int64_t now_ms);
  absl::StatusOr<std::optional<WorkerRow>> GetWorker(
      const std::string& worker_id);

  // Every trial of a sweep with its tasks, results and latest epochs, in
  // creation order.
  absl::StatusOr<std::vector<TrialView>> SweepTrials(
      const std::string& sweep_id);

 private:
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_STORE_H_
