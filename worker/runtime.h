#ifndef PKTGRID_WORKER_RUNTIME_H_
#define PKTGRID_WORKER_RUNTIME_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "proto/channel.h"
#include "proto/pktgrid.grpc.pb.h"
#include "storage/dataset_file.h"
#include "worker/trainer.h"

namespace pktgrid {

struct WorkerOptions {
  std::string coordinator = "127.0.0.1:7070";
  std::string role = "train";  // train or bench
  std::string name;            // default host:pid
  std::string token;
  TlsFiles tls;  // ca set = TLS to the coordinator
  std::string cache_dir = "pktgrid-worker-cache";
  TrainEnv env;
  // Give up when the coordinator stays unreachable this long.
  int connect_timeout_seconds = 60;
  // Exit after this many tasks (0 = no limit) or this long without work
  // (0 = never).
  int max_tasks = 0;
  int exit_when_idle_seconds = 0;
  double poll_seconds = 1.0;
};

// The worker's life: register, lease a task, heartbeat while running it,
// report epochs and the result, repeat. Reconnects with exponential backoff
// when the coordinator is away; a task that fails is reported, never fatal.
class WorkerRuntime {
 public:
  explicit WorkerRuntime(WorkerOptions options);
  ~WorkerRuntime();

  // Runs until stopped, idle, out of tasks, or the coordinator stays away.
  absl::Status Run();
  void Stop() { stop_ = true; }

 private:
  absl::Status Connect();
  absl::Status RunTask(const LeaseResponse& lease);
  absl::StatusOr<std::shared_ptr<const Dataset>> GetDataset(
      const std::string& sha256);
  absl::StatusOr<std::string> Download(const std::string& kind,
                                       const std::string& sha256);
  absl::StatusOr<std::string> UploadModel(const std::string& bytes,
                                          const std::string& sha256);
  absl::Status RunTrain(const LeaseResponse& lease, ResultReport* report,
                        const std::atomic<bool>& lease_lost);
  absl::Status RunBench(const LeaseResponse& lease, ResultReport* report);
  void AddAuth(grpc::ClientContext* context) const;

  WorkerOptions options_;
  std::unique_ptr<WorkerService::Stub> stub_;
  std::string worker_id_;
  int heartbeat_seconds_ = 5;
  std::atomic<bool> stop_{false};
  std::string cached_sha_;
  std::shared_ptr<const Dataset> cached_dataset_;
};

// Pins the calling process to one CPU (the first it may run on when `cpu` is
// negative). Returns the CPU chosen.
absl::StatusOr<int> PinToOneCpu(int cpu);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_RUNTIME_H_
