#include "coordinator/scheduler.h"

#include <unistd.h>

#include "gtest/gtest.h"
#include "storage/sqlite_db.h"

namespace pktgrid {
namespace {

constexpr int64_t kLeaseMs = 1000;

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/scheduler_test_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() +
            ".sqlite";
    std::remove(path_.c_str());
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    Scheduler::Options options;
    options.lease_ms = kLeaseMs;
    scheduler_ = std::make_unique<Scheduler>(store_.get(), options,
                                             [this] { return now_; });
    ASSERT_TRUE(
        scheduler_->RecordArtifact({"dataset-sha", "dataset", "/d", 10}).ok());
  }

  std::string RegisterWorker(const std::string& role) {
    WorkerInfo info;
    info.set_name("w-" + role);
    info.set_role(role);
    auto r = scheduler_->Register(info);
    EXPECT_TRUE(r.ok()) << r.status();
    return r->worker_id();
  }

  // Two deep_mlp trials (two learning rates) of one size: one group.
  LaunchResponse LaunchTwo(int max_attempts) {
    SweepSpec spec;
    spec.set_name("t");
    spec.set_max_attempts(max_attempts);
    ModelGrid* grid = spec.add_grids();
    grid->set_family("deep_mlp");
    grid->add_sizes("5,10,10");
    grid->add_learning_rates(0.01);
    grid->add_learning_rates(0.001);
    grid->add_dropouts(0.1);
    auto launched = scheduler_->Launch(spec, "dataset-sha");
    EXPECT_TRUE(launched.ok()) << launched.status();
    return *launched;
  }

  ResultReport TrainDone(const LeaseResponse& lease, const std::string& worker,
                         double val_accuracy, const std::string& model) {
    EXPECT_TRUE(
        scheduler_->RecordArtifact({model, "model", "/m/" + model, 5}).ok());
    ResultReport report;
    report.set_worker_id(worker);
    report.set_task_id(lease.task_id());
    report.set_attempt(lease.attempt());
    report.mutable_train()->set_val_accuracy(val_accuracy);
    report.mutable_train()->set_test_accuracy(val_accuracy - 0.01);
    report.mutable_train()->set_param_count(7685);
    report.mutable_train()->set_model_sha256(model);
    return report;
  }

  // Counts rows of a table matching a WHERE clause, straight from SQLite.
  int64_t Count(const std::string& sql) {
    auto q = store_->db()->Prepare(sql);
    EXPECT_TRUE(q.ok()) << q.status();
    EXPECT_TRUE(q->Step());
    return q->Int(0);
  }

  std::string path_;
  int64_t now_ = 1'000'000;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerTest, LaunchStoresTrialsOnceAndRelaunchIsIdempotent) {
  LaunchResponse first = LaunchTwo(3);
  EXPECT_EQ(first.trials(), 2);
  EXPECT_EQ(first.new_trials(), 2);
  now_ += 1;
  LaunchResponse second = LaunchTwo(3);
  EXPECT_EQ(second.trials(), 2);
  EXPECT_EQ(second.new_trials(), 0);
  EXPECT_NE(first.sweep_id(), second.sweep_id());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM trials"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sweeps"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sweep_trials"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE kind = 'train' AND "
                  "status = 'queued' AND attempt = 0"),
            2);
}

TEST_F(SchedulerTest, LaunchWithUnknownDatasetFails) {
  SweepSpec spec;
  ModelGrid* grid = spec.add_grids();
  grid->set_family("svm");
  auto launched = scheduler_->Launch(spec, "nope");
  ASSERT_FALSE(launched.ok());
  EXPECT_TRUE(absl::IsNotFound(launched.status()));
}

TEST_F(SchedulerTest, ExpiredLeaseRequeuesWithTheNextAttempt) {
  LaunchTwo(3);
  const std::string worker = RegisterWorker("train");
  auto lease = scheduler_->Lease(worker);
  ASSERT_TRUE(lease.ok()) << lease.status();
  ASSERT_FALSE(lease->task_id().empty());
  EXPECT_EQ(lease->attempt(), 1);
  EXPECT_EQ(lease->lease_deadline_unix_ms(), now_ + kLeaseMs);
  auto status = scheduler_->Status(scheduler_->Sweeps()->front().sweep_id());
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->running_trials_size(), 1);
  EXPECT_EQ(status->running_trials(0).task_id(), lease->task_id());
  EXPECT_EQ(status->running_trials(0).worker(), "w-train");

  // A heartbeat extends the lease.
  now_ += 900;
  HeartbeatRequest beat;
  beat.set_worker_id(worker);
  beat.set_task_id(lease->task_id());
  beat.set_attempt(1);
  auto hb = scheduler_->Heartbeat(beat);
  ASSERT_TRUE(hb.ok());
  EXPECT_TRUE(hb->lease_valid());
  EXPECT_EQ(hb->lease_deadline_unix_ms(), now_ + kLeaseMs);
  now_ += 900;
  EXPECT_EQ(*scheduler_->ExpireLeases(), 0);

  // Silence past the deadline puts the task back in the queue.
  now_ += kLeaseMs + 1;
  EXPECT_EQ(*scheduler_->ExpireLeases(), 1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM tasks WHERE task_id = '" + lease->task_id() +
            "' AND status = 'queued' AND attempt = 1 AND "
            "error LIKE 'lease of worker % expired at attempt 1'"),
      1);
  auto hb2 = scheduler_->Heartbeat(beat);
  ASSERT_TRUE(hb2.ok());
  EXPECT_FALSE(hb2->lease_valid());

  // The retry waits behind the untouched trial, then comes back as attempt
  // 2; a result for attempt 1 is refused.
  const std::string other = RegisterWorker("train");
  auto untouched = scheduler_->Lease(other);
  ASSERT_TRUE(untouched.ok());
  EXPECT_NE(untouched->task_id(), lease->task_id());
  auto again = scheduler_->Lease(other);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->task_id(), lease->task_id());
  EXPECT_EQ(again->attempt(), 2);
  absl::Status stale =
      scheduler_->ReportResult(TrainDone(*lease, worker, 0.9, "m1"));
  EXPECT_TRUE(absl::IsFailedPrecondition(stale)) << stale;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM results"), 0);
  EXPECT_TRUE(
      scheduler_->ReportResult(TrainDone(*again, other, 0.8, "m2")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM results WHERE model_sha256 = 'm2'"), 1);
}

TEST_F(SchedulerTest, TaskFailsAfterMaxAttempts) {
  LaunchTwo(2);
  const std::string worker = RegisterWorker("train");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto lease = scheduler_->Lease(worker);
    ASSERT_TRUE(lease.ok());
    ResultReport failure;
    failure.set_worker_id(worker);
    failure.set_task_id(lease->task_id());
    failure.set_attempt(lease->attempt());
    failure.set_error("boom");
    ASSERT_TRUE(scheduler_->ReportResult(failure).ok());
    // The failed task goes to the back of the queue: the other trial first.
    auto other = scheduler_->Lease(worker);
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other->task_id(), lease->task_id());
    failure.set_task_id(other->task_id());
    failure.set_attempt(other->attempt());
    ASSERT_TRUE(scheduler_->ReportResult(failure).ok());
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND "
                  "attempt = 2 AND error = 'boom'"),
            2);
}

TEST_F(SchedulerTest, PermanentErrorsFailWithoutRetry) {
  LaunchTwo(3);
  const std::string worker = RegisterWorker("train");
  auto lease = scheduler_->Lease(worker);
  ASSERT_TRUE(lease.ok());
  ResultReport failure;
  failure.set_worker_id(worker);
  failure.set_task_id(lease->task_id());
  failure.set_attempt(lease->attempt());
  failure.set_error("a CNN needs 1480 input bytes");
  failure.set_permanent(true);
  ASSERT_TRUE(scheduler_->ReportResult(failure).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND "
                  "attempt = 1"),
            1);
  // Only the other trial is left to lease.
  auto other = scheduler_->Lease(worker);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->task_id(), lease->task_id());
  auto none = scheduler_->Lease(worker);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->task_id().empty());
}

TEST_F(SchedulerTest, BenchmarksTheBestTrialOfAGroupOnceTheGroupIsDone) {
  LaunchResponse launched = LaunchTwo(3);
  const std::string trainer = RegisterWorker("train");
  const std::string bencher = RegisterWorker("bench");
  auto a = scheduler_->Lease(trainer);
  auto b = scheduler_->Lease(trainer);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(scheduler_->ReportResult(TrainDone(*a, trainer, 0.5, "ma")).ok());
  // Half the group is done: nothing to benchmark yet.
  EXPECT_TRUE(scheduler_->Lease(bencher)->task_id().empty());
  ASSERT_TRUE(scheduler_->ReportResult(TrainDone(*b, trainer, 0.7, "mb")).ok());
  auto bench = scheduler_->Lease(bencher);
  ASSERT_TRUE(bench.ok());
  ASSERT_TRUE(bench->has_bench());
  EXPECT_EQ(bench->bench().model_sha256(), "mb");
  EXPECT_EQ(bench->bench().options().sample_packets(), 10000);
  EXPECT_EQ(bench->bench().options().runs(), 25);
  EXPECT_TRUE(scheduler_->Lease(bencher)->task_id().empty());

  ResultReport report;
  report.set_worker_id(bencher);
  report.set_task_id(bench->task_id());
  report.set_attempt(1);
  report.mutable_bench()->set_pps(12345.5);
  report.mutable_bench()->set_pps_stderr(12.5);
  ASSERT_TRUE(scheduler_->ReportResult(report).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benchmarks WHERE pps = 12345.5 AND "
                  "pps_stderr = 12.5"),
            1);

  auto status = scheduler_->Status(launched.sweep_id());
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->trials(), 2);
  EXPECT_EQ(status->done(), 2);
  EXPECT_EQ(status->bench_done(), 1);
  EXPECT_TRUE(status->finished());

  // Rebench queues the benchmarked trial again, from attempt 0.
  EXPECT_EQ(*scheduler_->Rebench(launched.sweep_id(), ""), 1);
  EXPECT_FALSE(scheduler_->Status(launched.sweep_id())->finished());
  auto rerun = scheduler_->Lease(bencher);
  ASSERT_TRUE(rerun.ok());
  EXPECT_EQ(rerun->task_id(), bench->task_id());
  EXPECT_EQ(rerun->attempt(), 1);
  // An explicit prefix may pick a trial that was never benchmarked.
  const std::string other_trial = a->train().trial_id();
  EXPECT_EQ(*scheduler_->Rebench(launched.sweep_id(), other_trial.substr(0, 6)),
            1);
  EXPECT_EQ(*scheduler_->Rebench(launched.sweep_id(), "zzz"), 0);
}

TEST_F(SchedulerTest, EpochsAreStoredForTheHolderOnly) {
  LaunchTwo(3);
  const std::string worker = RegisterWorker("train");
  auto lease = scheduler_->Lease(worker);
  EpochReport epoch;
  epoch.set_worker_id(worker);
  epoch.set_task_id(lease->task_id());
  epoch.set_attempt(1);
  epoch.mutable_metrics()->set_epoch(1);
  epoch.mutable_metrics()->set_val_accuracy(0.25);
  ASSERT_TRUE(scheduler_->ReportEpoch(epoch).ok());
  epoch.set_worker_id("intruder");
  EXPECT_TRUE(absl::IsFailedPrecondition(scheduler_->ReportEpoch(epoch)));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM epochs WHERE epoch = 1 AND "
                  "val_accuracy = 0.25 AND attempt = 1"),
            1);
}

}  // namespace
}  // namespace pktgrid

namespace pktgrid {
namespace {

TEST_F(SchedulerTest, GpuTrialsGoOnlyToGpuWorkersAndFirst) {
  SweepSpec spec;
  ModelGrid* grid = spec.add_grids();
  grid->set_family("shallow_mlp");
  grid->add_sizes("5");
  grid->add_learning_rates(0.01);
  grid->add_dropouts(0.1);
  ASSERT_TRUE(scheduler_->Launch(spec, "dataset-sha").ok());  // any device
  spec.mutable_training()->set_device("cuda");
  grid->set_family("deep_cnn");
  grid->set_sizes(0, "128");
  ASSERT_TRUE(scheduler_->Launch(spec, "dataset-sha").ok());  // GPU only

  WorkerInfo cpu;
  cpu.set_name("cpu");
  cpu.set_role("train");
  cpu.set_device("cpu");
  WorkerInfo gpu = cpu;
  gpu.set_name("gpu");
  gpu.set_device("cuda:0");
  const std::string cpu_id = scheduler_->Register(cpu)->worker_id();
  const std::string gpu_id = scheduler_->Register(gpu)->worker_id();

  // The GPU worker takes the GPU trial although it was queued later.
  auto first = scheduler_->Lease(gpu_id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->train().family(), "deep_cnn");
  auto second = scheduler_->Lease(cpu_id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->train().family(), "shallow_mlp");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE device = 'cuda'"), 1);
}

TEST(SweepSpecDevice, UnknownDeviceIsRejected) {
  SweepSpec spec;
  spec.add_grids()->set_family("svm");
  spec.mutable_training()->set_device("tpu");
  Store* no_store = nullptr;
  Scheduler scheduler(no_store, {}, [] { return int64_t{0}; });
  auto launched = scheduler.Launch(spec, "d");
  ASSERT_FALSE(launched.ok());
  EXPECT_EQ(launched.status().message(),
            "sweep spec: training.device \"tpu\"; expected \"\", \"cuda\" or "
            "\"cpu\"");
}

}  // namespace
}  // namespace pktgrid
