#include "coordinator/scheduler.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "coordinator/sweep_spec.h"
#include "google/protobuf/text_format.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace {

constexpr char kTrain[] = "train";
constexpr char kBench[] = "bench";

std::string TaskId(const std::string& trial_id, const std::string& kind) {
  return absl::StrCat(trial_id, "/", kind);
}

bool Terminal(const std::string& status) {
  return status == "done" || status == "failed";
}

template <typename Message>
absl::StatusOr<Message> ParseBlob(const std::string& blob, const char* what) {
  Message message;
  if (!message.ParseFromString(blob)) {
    return absl::DataLossError(absl::StrCat("stored ", what, " is corrupt"));
  }
  return message;
}

EpochMetrics ToMetrics(const EpochRow& row) {
  EpochMetrics m;
  m.set_epoch(row.epoch);
  m.set_train_loss(row.train_loss);
  m.set_train_accuracy(row.train_accuracy);
  m.set_val_loss(row.val_loss);
  m.set_val_accuracy(row.val_accuracy);
  m.set_seconds(row.seconds);
  return m;
}

}  // namespace

Scheduler::Scheduler(Store* store, Options options, Clock clock)
    : store_(store), options_(options), clock_(std::move(clock)) {}

absl::StatusOr<LaunchResponse> Scheduler::Launch(
    const SweepSpec& raw_spec, const std::string& dataset_sha256) {
  auto spec = NormalizeSweepSpec(raw_spec);
  if (!spec.ok()) return spec.status();
  absl::MutexLock lock(&mu_);
  auto dataset = store_->GetArtifact(dataset_sha256);
  if (!dataset.ok()) return dataset.status();
  if (!dataset->has_value() || (*dataset)->kind != "dataset") {
    return absl::NotFoundError(absl::StrCat("dataset ", dataset_sha256,
                                            " is not known to the coordinator; "
                                            "upload it first"));
  }
  const std::vector<TrialConfig> trials = ExpandSweep(*spec, dataset_sha256);
  const int64_t now = clock_();
  std::string spec_text;
  google::protobuf::TextFormat::PrintToString(*spec, &spec_text);

  SweepRow sweep;
  sweep.sweep_id =
      Sha256Hex(absl::StrCat(spec_text, dataset_sha256, now, getpid()))
          .substr(0, 12);
  sweep.name = spec->name();
  sweep.dataset_sha256 = dataset_sha256;
  sweep.spec = spec_text;
  sweep.created_ms = now;

  Transaction tx(store_->db());
  if (!tx.status().ok()) return tx.status();
  if (auto s = store_->InsertSweep(sweep); !s.ok()) return s;
  LaunchResponse response;
  response.set_sweep_id(sweep.sweep_id);
  for (const TrialConfig& config : trials) {
    TrialRecord trial;
    trial.trial_id = config.trial_id();
    trial.sweep_id = sweep.sweep_id;
    trial.family = config.family();
    trial.size = config.size();
    trial.param_budget = config.param_budget();
    trial.learning_rate = config.learning_rate();
    trial.dropout = config.dropout();
    trial.input_bytes = config.input_bytes();
    trial.group_key = GroupKey(config);
    trial.bench_select = spec->bench().select();
    trial.config = config.SerializeAsString();
    auto inserted = store_->InsertTrial(trial, sweep.sweep_id, now);
    if (!inserted.ok()) return inserted.status();
    if (*inserted) {
      TaskRow task;
      task.task_id = TaskId(config.trial_id(), kTrain);
      task.trial_id = config.trial_id();
      task.kind = kTrain;
      task.status = "queued";
      task.max_attempts = spec->max_attempts();
      task.payload = trial.config;
      task.device = config.training().device();
      if (auto s = store_->InsertTask(task, now); !s.ok()) return s;
      response.set_new_trials(response.new_trials() + 1);
    }
    response.set_trials(response.trials() + 1);
  }
  if (auto s = tx.Commit(); !s.ok()) return s;
  return response;
}

absl::Status Scheduler::RecordArtifact(const ArtifactRow& row) {
  absl::MutexLock lock(&mu_);
  return store_->PutArtifact(row, clock_());
}

absl::StatusOr<RegisterResponse> Scheduler::Register(const WorkerInfo& info) {
  if (info.role() != kTrain && info.role() != kBench) {
    return absl::InvalidArgumentError(absl::StrCat(
        "worker role \"", info.role(), "\"; expected \"train\" or \"bench\""));
  }
  absl::MutexLock lock(&mu_);
  const int64_t now = clock_();
  WorkerRow row;
  row.worker_id =
      Sha256Hex(absl::StrCat(info.name(), info.role(), now)).substr(0, 12);
  row.name = info.name();
  row.role = info.role();
  row.device = info.device();
  row.threads = info.threads();
  if (auto s = store_->UpsertWorker(row, now); !s.ok()) return s;
  RegisterResponse response;
  response.set_worker_id(row.worker_id);
  response.set_heartbeat_seconds(options_.heartbeat_seconds);
  return response;
}

absl::StatusOr<LeaseResponse> Scheduler::Lease(const std::string& worker_id) {
  absl::MutexLock lock(&mu_);
  auto worker = store_->GetWorker(worker_id);
  if (!worker.ok()) return worker.status();
  if (!worker->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("unknown worker ", worker_id, "; register again"));
  }
  if (auto expired = ExpireLeasesLocked(); !expired.ok()) {
    return expired.status();
  }
  const int64_t now = clock_();
  Transaction tx(store_->db());
  if (!tx.status().ok()) return tx.status();
  if (auto s = store_->TouchWorker(worker_id, now); !s.ok()) return s;
  auto next = store_->NextQueued((*worker)->role, (*worker)->device);
  if (!next.ok()) return next.status();
  LeaseResponse response;
  if (next->has_value()) {
    TaskRow task = **next;
    task.status = "running";
    task.attempt += 1;
    task.worker_id = worker_id;
    task.lease_deadline_ms = now + options_.lease_ms;
    if (auto s = store_->UpdateTask(task, now); !s.ok()) return s;
    response.set_task_id(task.task_id);
    response.set_attempt(task.attempt);
    response.set_lease_deadline_unix_ms(task.lease_deadline_ms);
    const bool parsed =
        task.kind == kTrain
            ? response.mutable_train()->ParseFromString(task.payload)
            : response.mutable_bench()->ParseFromString(task.payload);
    if (!parsed) {
      return absl::DataLossError(
          absl::StrCat("stored payload of task ", task.task_id, " is corrupt"));
    }
  }
  if (auto s = tx.Commit(); !s.ok()) return s;
  return response;
}

absl::StatusOr<TaskRow> Scheduler::CheckLease(const std::string& task_id,
                                              int attempt,
                                              const std::string& worker_id) {
  auto task = store_->GetTask(task_id);
  if (!task.ok()) return task.status();
  if (!task->has_value()) {
    return absl::NotFoundError(absl::StrCat("no task ", task_id));
  }
  const TaskRow& t = **task;
  if (t.status != "running" || t.attempt != attempt ||
      t.worker_id != worker_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "stale attempt ", attempt, " of ", task_id, ": the task is ", t.status,
        " at attempt ", t.attempt, " held by ",
        t.worker_id.empty() ? "nobody" : t.worker_id));
  }
  return t;
}

absl::StatusOr<HeartbeatResponse> Scheduler::Heartbeat(
    const HeartbeatRequest& request) {
  absl::MutexLock lock(&mu_);
  HeartbeatResponse response;
  auto task =
      CheckLease(request.task_id(), request.attempt(), request.worker_id());
  if (!task.ok()) {
    if (absl::IsFailedPrecondition(task.status())) return response;  // lost
    return task.status();
  }
  const int64_t now = clock_();
  task->lease_deadline_ms = now + options_.lease_ms;
  if (auto s = store_->UpdateTask(*task, now); !s.ok()) return s;
  if (auto s = store_->TouchWorker(request.worker_id(), now); !s.ok()) return s;
  response.set_lease_valid(true);
  response.set_lease_deadline_unix_ms(task->lease_deadline_ms);
  return response;
}

absl::Status Scheduler::ReportEpoch(const EpochReport& report) {
  absl::MutexLock lock(&mu_);
  auto task =
      CheckLease(report.task_id(), report.attempt(), report.worker_id());
  if (!task.ok()) return task.status();
  const EpochMetrics& m = report.metrics();
  EpochRow row{report.attempt(),   m.epoch(),    m.train_loss(),
               m.train_accuracy(), m.val_loss(), m.val_accuracy(),
               m.seconds()};
  return store_->PutEpoch(task->trial_id, row);
}

absl::Status Scheduler::FailAttempt(TaskRow task, const std::string& error,
                                    bool permanent) {
  task.error = error;
  task.worker_id.clear();
  task.lease_deadline_ms = 0;
  task.status =
      permanent || task.attempt >= task.max_attempts ? "failed" : "queued";
  if (auto s = store_->UpdateTask(task, clock_()); !s.ok()) return s;
  // A retry waits behind the rest of the queue, so one trial that keeps
  // failing cannot hold up the sweep.
  if (task.status == "queued") return store_->MoveToBack(task.task_id);
  if (task.kind == kTrain) {
    return MaybeQueueBench(task.trial_id);
  }
  return absl::OkStatus();
}

absl::Status Scheduler::ReportResult(const ResultReport& report) {
  absl::MutexLock lock(&mu_);
  Transaction tx(store_->db());
  if (!tx.status().ok()) return tx.status();
  auto task =
      CheckLease(report.task_id(), report.attempt(), report.worker_id());
  if (!task.ok()) return task.status();
  if (!report.error().empty()) {
    if (auto s = FailAttempt(*task, report.error(), report.permanent());
        !s.ok()) {
      return s;
    }
    return tx.Commit();
  }
  if (task->kind == kTrain) {
    const TrainResult& r = report.train();
    ResultRow row;
    row.resolved_size = r.resolved_size();
    row.param_count = r.param_count();
    row.val_accuracy = r.val_accuracy();
    row.test_accuracy = r.test_accuracy();
    row.macro_f1 = r.macro_f1();
    row.epochs = r.epochs();
    row.best_epoch = r.best_epoch();
    row.train_seconds = r.train_seconds();
    row.model_sha256 = r.model_sha256();
    row.device = r.device();
    row.worker_id = report.worker_id();
    row.detail = r.SerializeAsString();
    auto model = store_->GetArtifact(r.model_sha256());
    if (!model.ok()) return model.status();
    if (!model->has_value()) {
      if (auto s = FailAttempt(*task, "model was not uploaded"); !s.ok()) {
        return s;
      }
      if (auto s = tx.Commit(); !s.ok()) return s;
      return absl::FailedPreconditionError(absl::StrCat(
          "model ", r.model_sha256(), " was not uploaded before the result"));
    }
    if (auto s = store_->PutResult(task->trial_id, row); !s.ok()) return s;
  } else {
    const BenchResult& b = report.bench();
    BenchRow row;
    row.pps = b.pps();
    row.pps_stderr = b.pps_stderr();
    row.runs = b.runs();
    row.sample_packets = b.sample_packets();
    row.batch_size = b.batch_size();
    row.p50_us = b.latency_p50_us();
    row.p90_us = b.latency_p90_us();
    row.p99_us = b.latency_p99_us();
    row.peak_rss_bytes = b.peak_rss_bytes();
    row.cpu = b.cpu();
    row.worker_id = report.worker_id();
    row.detail = b.SerializeAsString();
    if (auto s = store_->PutBenchmark(task->trial_id, row); !s.ok()) return s;
  }
  task->status = "done";
  task->error.clear();
  task->lease_deadline_ms = 0;
  if (auto s = store_->UpdateTask(*task, clock_()); !s.ok()) return s;
  if (task->kind == kTrain) {
    if (auto s = MaybeQueueBench(task->trial_id); !s.ok()) return s;
  }
  return tx.Commit();
}

absl::Status Scheduler::MaybeQueueBench(const std::string& trial_id) {
  auto trial = store_->GetTrial(trial_id);
  if (!trial.ok()) return trial.status();
  if (trial->bench_select == "none") return absl::OkStatus();
  if (trial->bench_select == "all") {
    auto result = store_->GetResult(trial_id);
    if (!result.ok()) return result.status();
    if (!result->has_value()) return absl::OkStatus();  // training failed
    return QueueBench(*trial, **result);
  }
  // "best": once every trial of the group has finished training, benchmark
  // the one with the best validation accuracy (first wins ties).
  auto group = store_->GroupTrials(trial->sweep_id, trial->group_key);
  if (!group.ok()) return group.status();
  std::optional<std::pair<TrialRecord, ResultRow>> best;
  for (const std::string& id : *group) {
    auto task = store_->GetTask(TaskId(id, kTrain));
    if (!task.ok()) return task.status();
    if (!task->has_value() || !Terminal((*task)->status)) {
      return absl::OkStatus();
    }
    auto result = store_->GetResult(id);
    if (!result.ok()) return result.status();
    if (result->has_value() &&
        (!best || (*result)->val_accuracy > best->second.val_accuracy)) {
      auto member = store_->GetTrial(id);
      if (!member.ok()) return member.status();
      best.emplace(*member, **result);
    }
  }
  if (!best) return absl::OkStatus();
  return QueueBench(best->first, best->second);
}

absl::Status Scheduler::QueueBench(const TrialRecord& trial,
                                   const ResultRow& result, bool again) {
  auto sweep = store_->GetSweep(trial.sweep_id);
  if (!sweep.ok()) return sweep.status();
  SweepSpec spec;
  if (!sweep->has_value() ||
      !google::protobuf::TextFormat::ParseFromString((*sweep)->spec, &spec)) {
    return absl::DataLossError(
        absl::StrCat("stored spec of sweep ", trial.sweep_id, " is corrupt"));
  }
  BenchConfig config;
  config.set_trial_id(trial.trial_id);
  config.set_model_sha256(result.model_sha256);
  config.set_dataset_sha256((*sweep)->dataset_sha256);
  *config.mutable_options() = spec.bench();
  config.set_seed(spec.seed());
  TaskRow task;
  task.task_id = TaskId(trial.trial_id, kBench);
  task.trial_id = trial.trial_id;
  task.kind = kBench;
  task.status = "queued";
  task.max_attempts = spec.max_attempts();
  task.payload = config.SerializeAsString();
  return again ? store_->ReplaceTask(task, clock_())
               : store_->InsertTask(task, clock_());
}

absl::StatusOr<int> Scheduler::Rebench(const std::string& sweep_id,
                                       const std::string& trial_prefix) {
  absl::MutexLock lock(&mu_);
  auto views = store_->SweepTrials(sweep_id);
  if (!views.ok()) return views.status();
  Transaction tx(store_->db());
  if (!tx.status().ok()) return tx.status();
  int queued = 0;
  for (const TrialView& v : *views) {
    const bool chosen = trial_prefix.empty()
                            ? v.bench.has_value()
                            : v.trial.trial_id.rfind(trial_prefix, 0) == 0;
    if (!chosen || !v.result) continue;
    if (v.bench && v.bench->status == "running") continue;  // already busy
    if (auto s = QueueBench(v.trial, *v.result, /*again=*/true); !s.ok()) {
      return s;
    }
    ++queued;
  }
  if (auto s = tx.Commit(); !s.ok()) return s;
  return queued;
}

absl::StatusOr<int> Scheduler::ExpireLeases() {
  absl::MutexLock lock(&mu_);
  return ExpireLeasesLocked();
}

absl::StatusOr<int> Scheduler::ExpireLeasesLocked() {
  auto expired = store_->ExpiredLeases(clock_());
  if (!expired.ok()) return expired.status();
  if (expired->empty()) return 0;
  Transaction tx(store_->db());
  if (!tx.status().ok()) return tx.status();
  for (const TaskRow& task : *expired) {
    const std::string reason =
        absl::StrCat("lease of worker ", task.worker_id, " expired at attempt ",
                     task.attempt);
    if (auto s = FailAttempt(task, reason); !s.ok()) return s;
  }
  if (auto s = tx.Commit(); !s.ok()) return s;
  return static_cast<int>(expired->size());
}

absl::StatusOr<SweepStatus> Scheduler::Status(const std::string& sweep_id) {
  auto rows = Trials(sweep_id);
  if (!rows.ok()) return rows.status();
  SweepStatus status;
  status.set_sweep_id(sweep_id);
  {
    absl::MutexLock lock(&mu_);
    auto sweep = store_->GetSweep(sweep_id);
    if (!sweep.ok()) return sweep.status();
    if (sweep->has_value()) status.set_name((*sweep)->name);
  }
  bool finished = true;
  for (const TrialRow& row : *rows) {
    status.set_trials(status.trials() + 1);
    const std::string& s = row.status();
    if (s == "queued") status.set_queued(status.queued() + 1);
    if (s == "running") status.set_running(status.running() + 1);
    if (s == "done") status.set_done(status.done() + 1);
    if (s == "failed") status.set_failed(status.failed() + 1);
    const std::string& b = row.bench_status();
    if (b == "queued") status.set_bench_queued(status.bench_queued() + 1);
    if (b == "running") status.set_bench_running(status.bench_running() + 1);
    if (b == "done") status.set_bench_done(status.bench_done() + 1);
    if (b == "failed") status.set_bench_failed(status.bench_failed() + 1);
    if (!Terminal(s) || (!b.empty() && !Terminal(b))) finished = false;
    if (s == "running" || b == "running") {
      RunningTrial* running = status.add_running_trials();
      running->set_task_id(absl::StrCat(row.config().trial_id(), "/",
                                        s == "running" ? kTrain : kBench));
      if (s == "running" && row.epochs_size() > 0) {
        *running->mutable_last_epoch() = *row.epochs().rbegin();
      }
      running->set_worker(row.worker());
      running->set_max_epochs(row.config().training().max_epochs());
    }
  }
  status.set_finished(finished);
  return status;
}

absl::StatusOr<std::vector<TrialRow>> Scheduler::Trials(
    const std::string& sweep_id) {
  absl::MutexLock lock(&mu_);
  auto sweep = store_->GetSweep(sweep_id);
  if (!sweep.ok()) return sweep.status();
  if (!sweep->has_value()) {
    return absl::NotFoundError(absl::StrCat("no sweep ", sweep_id));
  }
  auto views = store_->SweepTrials(sweep_id);
  if (!views.ok()) return views.status();
  std::vector<TrialRow> rows;
  for (const TrialView& v : *views) {
    TrialRow row;
    auto config = ParseBlob<TrialConfig>(v.trial.config, "trial config");
    if (!config.ok()) return config.status();
    *row.mutable_config() = *config;
    row.set_status(v.train.status);
    row.set_attempt(v.train.attempt);
    row.set_error(v.train.error);
    const TaskRow* running = v.train.status == "running" ? &v.train
                             : v.bench && v.bench->status == "running"
                                 ? &*v.bench
                                 : nullptr;
    if (running) {
      auto worker = store_->GetWorker(running->worker_id);
      if (!worker.ok()) return worker.status();
      row.set_worker(worker->has_value() ? (*worker)->name
                                         : running->worker_id);
    }
    if (v.bench) {
      row.set_bench_status(v.bench->status);
      if (!v.bench->error.empty() && row.error().empty()) {
        row.set_error(absl::StrCat("bench: ", v.bench->error));
      }
    }
    if (v.result) {
      auto train = ParseBlob<TrainResult>(v.result->detail, "train result");
      if (!train.ok()) return train.status();
      *row.mutable_train() = *train;
    }
    if (v.benchmark) {
      auto bench = ParseBlob<BenchResult>(v.benchmark->detail, "bench result");
      if (!bench.ok()) return bench.status();
      *row.mutable_bench() = *bench;
    }
    for (const EpochRow& e : v.epochs) *row.add_epochs() = ToMetrics(e);
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<std::vector<SweepSummary>> Scheduler::Sweeps() {
  absl::MutexLock lock(&mu_);
  auto sweeps = store_->ListSweeps();
  if (!sweeps.ok()) return sweeps.status();
  std::vector<SweepSummary> out;
  for (const SweepRow& s : *sweeps) {
    SweepSummary summary;
    summary.set_sweep_id(s.sweep_id);
    summary.set_name(s.name);
    summary.set_dataset_sha256(s.dataset_sha256);
    summary.set_created_unix_ms(s.created_ms);
    summary.set_trials(s.trials);
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace pktgrid
