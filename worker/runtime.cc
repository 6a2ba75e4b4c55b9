#include "worker/runtime.h"

#include <grpcpp/grpcpp.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "storage/artifact_store.h"
#include "storage/sha256.h"
#include "worker/benchmark.h"

namespace pktgrid {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

absl::Status FromGrpc(const grpc::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

void Log(const std::string& line) {
  std::cerr << "pktgrid-worker: " << line << "\n";
}

std::string DefaultName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, ":", getpid());
}

// Sleeps in short steps so Stop() is noticed quickly.
void SleepFor(double seconds, const std::atomic<bool>& stop) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(int64_t(seconds * 1000));
  while (!stop && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Heartbeats a lease on its own thread until destroyed; flags `lost` when
// the coordinator says the lease is gone.
class HeartbeatThread {
 public:
  HeartbeatThread(std::function<bool()> beat, int seconds)
      : thread_([this, beat, seconds] {
          std::unique_lock<std::mutex> lock(mu_);
          while (!done_) {
            if (cv_.wait_for(lock, std::chrono::seconds(seconds),
                             [this] { return done_; })) {
              break;
            }
            lock.unlock();
            if (!beat()) lost = true;
            lock.lock();
          }
        }) {}
  ~HeartbeatThread() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  std::atomic<bool> lost{false};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

absl::StatusOr<int> PinToOneCpu(int cpu) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
    return absl::InternalError("sched_getaffinity failed");
  }
  if (cpu < 0) {
    for (int i = 0; i < CPU_SETSIZE; ++i) {
      if (CPU_ISSET(i, &allowed)) {
        cpu = i;
        break;
      }
    }
  }
  if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--cpu=", cpu, " is not a CPU this process may use"));
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  if (sched_setaffinity(0, sizeof(one), &one) != 0) {
    return absl::InternalError(absl::StrCat("cannot pin to CPU ", cpu));
  }
  return cpu;
}

WorkerRuntime::WorkerRuntime(WorkerOptions options)
    : options_(std::move(options)) {
  if (options_.name.empty()) options_.name = DefaultName();
}

WorkerRuntime::~WorkerRuntime() = default;

void WorkerRuntime::AddAuth(grpc::ClientContext* context) const {
  if (!options_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options_.token));
  }
}

absl::Status WorkerRuntime::Connect() {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(options_.connect_timeout_seconds);
  double backoff = 0.25;
  int attempts = 0;
  while (!stop_) {
    RegisterRequest request;
    WorkerInfo* info = request.mutable_info();
    info->set_name(options_.name);
    info->set_role(options_.role);
    info->set_device(options_.env.device);
    info->set_threads(options_.env.threads);
    RegisterResponse response;
    grpc::ClientContext context;
    AddAuth(&context);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    grpc::Status s = stub_->Register(&context, request, &response);
    ++attempts;
    if (s.ok()) {
      worker_id_ = response.worker_id();
      heartbeat_seconds_ = std::max(1, response.heartbeat_seconds());
      Log(absl::StrCat("registered with ", options_.coordinator, " as ",
                       worker_id_, " (role ", options_.role, ", device ",
                       options_.env.device, ")"));
      return absl::OkStatus();
    }
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
        s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      return FromGrpc(s, absl::StrCat("register with ", options_.coordinator));
    }
    if (std::chrono::steady_clock::now() +
            std::chrono::duration<double>(backoff) >
        deadline) {
      return absl::UnavailableError(absl::StrCat(
          "cannot reach the coordinator at ", options_.coordinator, " after ",
          attempts, " attempts over ", options_.connect_timeout_seconds,
          " s (last error: ", s.error_message(), ")"));
    }
    Log(absl::StrCat("coordinator ", options_.coordinator, " unreachable (",
                     s.error_message(), "); retrying in ", backoff, " s"));
    SleepFor(backoff, stop_);
    backoff = std::min(backoff * 2, 8.0);
  }
  return absl::CancelledError("stopped");
}

absl::Status WorkerRuntime::Run() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // Reconnect quickly after the coordinator comes back.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  auto channel = MakeChannel(options_.coordinator, options_.tls, args);
  if (!channel.ok()) return channel.status();
  stub_ = WorkerService::NewStub(*channel);
  if (auto s = Connect(); !s.ok()) return s;
  int tasks = 0;
  auto idle_since = std::chrono::steady_clock::now();
  while (!stop_) {
    LeaseRequest request;
    request.set_worker_id(worker_id_);
    LeaseResponse lease;
    grpc::ClientContext context;
    AddAuth(&context);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Status s = stub_->LeaseTask(&context, request, &lease);
    if (!s.ok()) {
      // The coordinator went away or forgot us: register again (with backoff).
      Log(absl::StrCat("lease failed (", s.error_message(), "); reconnecting"));
      if (auto c = Connect(); !c.ok()) return c;
      continue;
    }
    if (lease.task_id().empty()) {
      const double idle = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - idle_since)
                              .count();
      if (options_.exit_when_idle_seconds > 0 &&
          idle >= options_.exit_when_idle_seconds) {
        Log(absl::StrCat("idle for ", int(idle), " s; exiting"));
        return absl::OkStatus();
      }
      SleepFor(options_.poll_seconds, stop_);
      continue;
    }
    if (auto t = RunTask(lease); !t.ok()) Log(std::string(t.message()));
    idle_since = std::chrono::steady_clock::now();
    if (options_.max_tasks > 0 && ++tasks >= options_.max_tasks) {
      Log(absl::StrCat("finished ", tasks, " task(s); exiting"));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status WorkerRuntime::RunTask(const LeaseResponse& lease) {
  Log(absl::StrCat("leased ", lease.task_id(), " (attempt ", lease.attempt(),
                   ")"));
  HeartbeatThread heartbeat(
      [this, &lease] {
        HeartbeatRequest request;
        request.set_worker_id(worker_id_);
        request.set_task_id(lease.task_id());
        request.set_attempt(lease.attempt());
        HeartbeatResponse response;
        grpc::ClientContext context;
        AddAuth(&context);
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(5));
        grpc::Status s = stub_->Heartbeat(&context, request, &response);
        // A missed heartbeat is not a lost lease; the deadline has slack.
        return !s.ok() || response.lease_valid();
      },
      heartbeat_seconds_);

  ResultReport report;
  report.set_worker_id(worker_id_);
  report.set_task_id(lease.task_id());
  report.set_attempt(lease.attempt());
  const auto start = std::chrono::steady_clock::now();
  absl::Status status = lease.has_train()
                            ? RunTrain(lease, &report, heartbeat.lost)
                            : RunBench(lease, &report);
  if (heartbeat.lost) {
    return absl::AbortedError(
        absl::StrCat(lease.task_id(), ": lease lost; result dropped"));
  }
  if (!status.ok()) {
    report.clear_train();
    report.clear_bench();
    report.set_error(std::string(status.message()));
    report.set_permanent(absl::IsInvalidArgument(status));
    Log(absl::StrCat(lease.task_id(), " failed: ", status.message()));
  } else {
    Log(absl::StrCat(
        lease.task_id(), " done in ",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count(),
        " s"));
  }
  Ack ack;
  grpc::ClientContext context;
  AddAuth(&context);
  return FromGrpc(stub_->ReportResult(&context, report, &ack),
                  absl::StrCat("report ", lease.task_id()));
}

absl::Status WorkerRuntime::RunTrain(const LeaseResponse& lease,
                                     ResultReport* report,
                                     const std::atomic<bool>& lease_lost) {
  const TrialConfig& config = lease.train();
  auto dataset = GetDataset(config.dataset_sha256());
  if (!dataset.ok()) return dataset.status();
  auto on_epoch = [&](const EpochMetrics& metrics) -> absl::Status {
    if (lease_lost || stop_) return absl::AbortedError("lease lost");
    EpochReport epoch;
    epoch.set_worker_id(worker_id_);
    epoch.set_task_id(lease.task_id());
    epoch.set_attempt(lease.attempt());
    *epoch.mutable_metrics() = metrics;
    Ack ack;
    grpc::ClientContext context;
    AddAuth(&context);
    grpc::Status s = stub_->ReportEpoch(&context, epoch, &ack);
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      return FromGrpc(s, "epoch report refused");
    }
    Log(absl::StrCat(lease.task_id(), " epoch ", metrics.epoch(), "/",
                     config.training().max_epochs(), " val_acc ",
                     metrics.val_accuracy()));
    return absl::OkStatus();
  };
  auto output = TrainTrial(config, **dataset, options_.env, on_epoch);
  if (!output.ok()) return output.status();
  auto uploaded =
      UploadModel(output->model_artifact, output->result.model_sha256());
  if (!uploaded.ok()) return uploaded.status();
  *report->mutable_train() = output->result;
  return absl::OkStatus();
}

absl::Status WorkerRuntime::RunBench(const LeaseResponse& lease,
                                     ResultReport* report) {
  const BenchConfig& config = lease.bench();
  auto dataset = GetDataset(config.dataset_sha256());
  if (!dataset.ok()) return dataset.status();
  auto model = Download("model", config.model_sha256());
  if (!model.ok()) return model.status();
  auto result = BenchmarkModel(*model, **dataset, config);
  if (!result.ok()) return result.status();
  *report->mutable_bench() = *result;
  return absl::OkStatus();
}

absl::StatusOr<std::string> WorkerRuntime::Download(const std::string& kind,
                                                    const std::string& sha256) {
  FetchRequest request;
  request.set_sha256(sha256);
  grpc::ClientContext context;
  AddAuth(&context);
  auto reader = kind == "model" ? stub_->FetchModel(&context, request)
                                : stub_->FetchDataset(&context, request);
  std::string bytes;
  Chunk chunk;
  while (reader->Read(&chunk)) bytes += chunk.data();
  if (auto s =
          FromGrpc(reader->Finish(), absl::StrCat("fetch ", kind, " ", sha256));
      !s.ok()) {
    return s;
  }
  if (Sha256Hex(bytes) != sha256) {
    return absl::DataLossError(
        absl::StrCat("fetched ", kind, " ", sha256, " has the wrong digest"));
  }
  return bytes;
}

absl::StatusOr<std::shared_ptr<const Dataset>> WorkerRuntime::GetDataset(
    const std::string& sha256) {
  if (sha256 == cached_sha_) return cached_dataset_;
  // A disk cache so a restarted worker does not download the dataset again.
  ArtifactStore cache(options_.cache_dir);
  std::string bytes;
  if (cache.Has("dataset", sha256)) {
    auto read = cache.Read("dataset", sha256);
    if (!read.ok()) return read.status();
    bytes = std::move(*read);
  }
  if (bytes.empty() || Sha256Hex(bytes) != sha256) {
    auto fetched = Download("dataset", sha256);
    if (!fetched.ok()) return fetched.status();
    bytes = std::move(*fetched);
    if (auto put = cache.Put("dataset", bytes); !put.ok()) {
      Log(absl::StrCat("dataset cache: ", put.status().message()));
    }
  }
  auto dataset = ParseDataset(bytes, absl::StrCat("dataset ", sha256));
  if (!dataset.ok()) return dataset.status();
  cached_sha_ = sha256;
  cached_dataset_ = std::make_shared<const Dataset>(std::move(*dataset));
  return cached_dataset_;
}

absl::StatusOr<std::string> WorkerRuntime::UploadModel(
    const std::string& bytes, const std::string& sha256) {
  grpc::ClientContext context;
  AddAuth(&context);
  UploadResponse response;
  auto writer = stub_->UploadModel(&context, &response);
  for (size_t offset = 0; offset == 0 || offset < bytes.size();
       offset += kChunkBytes) {
    Chunk chunk;
    if (offset == 0) {
      chunk.set_kind("model");
      chunk.set_sha256(sha256);
    }
    chunk.set_data(bytes.substr(offset, kChunkBytes));
    if (!writer->Write(chunk)) break;
  }
  writer->WritesDone();
  if (auto s = FromGrpc(writer->Finish(), "upload model"); !s.ok()) return s;
  return response.sha256();
}

}  // namespace pktgrid
