#ifndef PKTGRID_COORDINATOR_SCHEDULER_H_
#define PKTGRID_COORDINATOR_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/pktgrid.pb.h"
#include "storage/store.h"

namespace pktgrid {

// Scheduling policy: which task a worker gets, how long its lease lasts, what
// happens when a lease expires or an attempt fails, and which trained models
// are benchmarked. Transport-free: the gRPC services call it, and so do tests.
// Thread-safe; every call is one SQLite transaction.
class Scheduler {
 public:
  struct Options {
    int64_t lease_ms = 60000;   // a lease lasts this long without heartbeat
    int heartbeat_seconds = 5;  // told to workers at registration
  };
  using Clock = std::function<int64_t()>;  // unix milliseconds

  Scheduler(Store* store, Options options, Clock clock);

  // Validates and expands the spec; known trials are linked, not duplicated.
  absl::StatusOr<LaunchResponse> Launch(const SweepSpec& spec,
                                        const std::string& dataset_sha256);
  // Records an artifact file already published in the artifact store.
  absl::Status RecordArtifact(const ArtifactRow& row);
  absl::StatusOr<RegisterResponse> Register(const WorkerInfo& info);
  // The oldest queued task for the worker's role, or an empty response.
  absl::StatusOr<LeaseResponse> Lease(const std::string& worker_id);
  absl::StatusOr<HeartbeatResponse> Heartbeat(const HeartbeatRequest& request);
  absl::Status ReportEpoch(const EpochReport& report);
  absl::Status ReportResult(const ResultReport& report);

  // Puts every expired lease back in the queue (or fails the task once its
  // attempts are used up). Returns how many tasks it touched.
  absl::StatusOr<int> ExpireLeases();

  // Queues the benchmarks of trained trials again; returns how many.
  absl::StatusOr<int> Rebench(const std::string& sweep_id,
                              const std::string& trial_prefix);

  absl::StatusOr<SweepStatus> Status(const std::string& sweep_id);
  absl::StatusOr<std::vector<TrialRow>> Trials(const std::string& sweep_id);
  absl::StatusOr<std::vector<SweepSummary>> Sweeps();

 private:
  absl::StatusOr<int> ExpireLeasesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Checks that a report comes from the current holder of a running task.
  absl::StatusOr<TaskRow> CheckLease(const std::string& task_id, int attempt,
                                     const std::string& worker_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the attempt: queued again while attempts remain (and the error is
  // not permanent), else failed.
  absl::Status FailAttempt(TaskRow task, const std::string& error,
                           bool permanent = false)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After a train task ends: queue benchmarks the sweep's policy asks for.
  absl::Status MaybeQueueBench(const std::string& trial_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Queues (or, with `again`, re-queues) the trial's bench task.
  absl::Status QueueBench(const TrialRecord& trial, const ResultRow& result,
                          bool again = false)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  Store* store_ ABSL_GUARDED_BY(mu_);
  const Options options_;
  const Clock clock_;
};

}  // namespace pktgrid

#endif  // PKTGRID_COORDINATOR_SCHEDULER_H_
