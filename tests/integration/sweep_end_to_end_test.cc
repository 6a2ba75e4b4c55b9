// Starts a real coordinator and real workers as separate processes on
// loopback, runs tiny sweeps through them, and checks the SQLite file they
// leave behind. Also kills a worker mid-trial and checks that its lease
// expires and another worker finishes the trial.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cli/child_process.h"
#include "cli/client.h"
#include "gtest/gtest.h"
#include "preprocess/pipeline.h"
#include "preprocess/synth.h"
#include "storage/sqlite_db.h"

namespace pktgrid {
namespace {

std::string Runfile(const std::string& path) {
  return absl::StrCat(getenv("TEST_SRCDIR"), "/pktgrid/", path);
}

std::string TempDir(const std::string& name) {
  std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

// A seven-class dataset from the synthetic capture, 200 packets per class.
std::string MakeDataset(const std::string& dir) {
  const std::string capture = dir + "/synth.pcap";
  EXPECT_TRUE(preprocess::WriteSynthCapture(capture, {}).ok());
  preprocess::PreprocessOptions options;
  options.per_class = 200;
  options.progress = false;
  const std::string out = dir + "/dataset.pktds";
  auto report = preprocess::BuildDataset(options, {capture}, out);
  EXPECT_TRUE(report.ok()) << report.status();
  return out;
}

class Cluster {
 public:
  Cluster(const std::string& dir, int lease_seconds) : dir_(dir) {
    const std::string port_file = dir + "/port";
    std::remove(port_file.c_str());
    auto coordinator = ChildProcess::Start(
        {Runfile("coordinator/pktgrid-coordinator"), "--listen=127.0.0.1:0",
         "--port_file=" + port_file, "--db=" + db(),
         "--artifacts=" + dir + "/artifacts",
         absl::StrCat("--lease_seconds=", lease_seconds)},
        dir + "/coordinator.log");
    EXPECT_TRUE(coordinator.ok()) << coordinator.status();
    coordinator_ = std::move(*coordinator);
    for (int i = 0; i < 600 && port_ == 0; ++i) {
      std::ifstream(port_file) >> port_;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GT(port_, 0) << coordinator_->LogTail();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string db() const { return dir_ + "/pktgrid.sqlite"; }

  ChildProcess* StartWorker(const std::string& role, const std::string& tag) {
    auto worker = ChildProcess::Start(
        {Runfile("worker/pktgrid-worker"), "--coordinator=" + address(),
         "--role=" + role, "--threads=1", "--device=cpu",
         "--cache_dir=" + dir_ + "/cache-" + tag, "--connect_timeout=20"},
        absl::StrCat(dir_, "/worker-", tag, ".log"));
    EXPECT_TRUE(worker.ok()) << worker.status();
    workers_.push_back(std::move(*worker));
    return workers_.back().get();
  }

  // Polls until the sweep is finished or `seconds` pass.
  SweepStatus WaitFinished(Client& client, const std::string& sweep,
                           int seconds) {
    SweepStatus status;
    for (int i = 0; i < seconds * 5; ++i) {
      auto s = client.Status(sweep);
      EXPECT_TRUE(s.ok()) << s.status();
      if (!s.ok()) break;
      status = *s;
      if (status.finished()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return status;
  }

  int64_t Count(const std::string& sql) {
    auto db = SqliteDb::Open(this->db());
    EXPECT_TRUE(db.ok()) << db.status();
    auto q = (*db)->Prepare(sql);
    EXPECT_TRUE(q.ok()) << q.status();
    EXPECT_TRUE(q->Step()) << sql;
    return q->Int(0);
  }

  ChildProcess& coordinator() { return *coordinator_; }

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> coordinator_;
  std::vector<std::unique_ptr<ChildProcess>> workers_;
};

SweepSpec TinySpec() {
  SweepSpec spec;
  spec.set_name("tiny");
  ModelGrid* cnn = spec.add_grids();
  cnn->set_family("deep_cnn");
  cnn->add_sizes("4");
  cnn->add_learning_rates(0.005);
  cnn->add_learning_rates(0.001);
  cnn->add_dropouts(0.1);
  ModelGrid* mlp = spec.add_grids();
  mlp->set_family("shallow_mlp");
  mlp->add_sizes("5");
  mlp->add_learning_rates(0.005);
  mlp->add_dropouts(0.1);
  spec.add_grids()->set_family("svm");
  spec.mutable_training()->set_max_epochs(2);
  spec.mutable_bench()->set_sample_packets(200);
  spec.mutable_bench()->set_runs(3);
  return spec;
}

TEST(EndToEnd, TinySweepRunsToCompletionThroughRealProcesses) {
  const std::string dir = TempDir("e2e");
  const std::string dataset = MakeDataset(dir);
  Cluster cluster(dir, 30);
  cluster.StartWorker("train", "train");
  cluster.StartWorker("bench", "bench");

  Client client(cluster.address(), "");
  auto sha = client.UploadDataset(dataset);
  ASSERT_TRUE(sha.ok()) << sha.status();
  auto launched = client.Launch(TinySpec(), *sha);
  ASSERT_TRUE(launched.ok()) << launched.status();
  EXPECT_EQ(launched->trials(), 4);

  SweepStatus status = cluster.WaitFinished(client, launched->sweep_id(), 240);
  ASSERT_TRUE(status.finished()) << cluster.coordinator().LogTail();
  EXPECT_EQ(status.done(), 4);
  EXPECT_EQ(status.failed(), 0);
  // "best" benchmarks one trial per (family, size): deep_cnn 4 (best of two
  // learning rates), shallow_mlp 5, svm.
  EXPECT_EQ(status.bench_done(), 3);

  // The database holds exactly these rows.
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM trials"), 4);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM tasks WHERE status = 'done'"),
            7);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM results"), 4);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM benchmarks WHERE pps > 0 AND "
                          "pps_stderr >= 0 AND runs = 3 AND "
                          "sample_packets = 200"),
            3);
  // Parameter counts for 7 classes: the paper's 1978 with a 7-wide output
  // layer is 1963; shallow MLP h=5: 1480*5+5 + 5*7+7 = 7447; SVM 7*1481.
  EXPECT_EQ(cluster.Count("SELECT param_count FROM results r JOIN trials t "
                          "USING (trial_id) WHERE t.family = 'deep_cnn' "
                          "LIMIT 1"),
            1963);
  EXPECT_EQ(cluster.Count("SELECT param_count FROM results r JOIN trials t "
                          "USING (trial_id) WHERE t.family = 'shallow_mlp'"),
            7447);
  EXPECT_EQ(cluster.Count("SELECT param_count FROM results r JOIN trials t "
                          "USING (trial_id) WHERE t.family = 'svm'"),
            10367);
  // Two epochs stored per neural trial, one record for the SVM.
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM epochs"), 3 * 2 + 1);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM artifacts WHERE kind = "
                          "'model'"),
            4);

  // The client sees the same results, and best-per-group picks 3 rows.
  auto rows = client.Results(launched->sweep_id(), "", false);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 4u);
  auto best = client.Results(launched->sweep_id(), "", true);
  ASSERT_TRUE(best.ok());
  EXPECT_EQ(best->size(), 3u);
  for (const TrialRow& row : *best) EXPECT_TRUE(row.has_bench());

  // Rebench runs the three benchmarks again and replaces their rows.
  auto rebenched = client.Rebench(launched->sweep_id(), "");
  ASSERT_TRUE(rebenched.ok()) << rebenched.status();
  EXPECT_EQ(*rebenched, 3);
  status = cluster.WaitFinished(client, launched->sweep_id(), 120);
  ASSERT_TRUE(status.finished());
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM benchmarks"), 3);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM tasks WHERE kind = 'bench' "
                          "AND status = 'done' AND attempt = 1"),
            3);

  // Re-launching the same spec on the same dataset adds no trials.
  auto again = client.Launch(TinySpec(), *sha);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_trials(), 0);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM trials"), 4);
}

TEST(EndToEnd, KilledWorkersLeaseExpiresAndAnotherWorkerFinishes) {
  const std::string dir = TempDir("kill");
  const std::string dataset = MakeDataset(dir);
  Cluster cluster(dir, /*lease_seconds=*/2);
  ChildProcess* doomed = cluster.StartWorker("train", "doomed");

  SweepSpec spec;
  spec.set_name("kill");
  ModelGrid* grid = spec.add_grids();
  grid->set_family("deep_cnn");
  grid->add_sizes("8");
  grid->add_learning_rates(0.001);
  grid->add_dropouts(0.1);
  spec.mutable_training()->set_max_epochs(20);
  spec.mutable_training()->set_patience(20);
  spec.mutable_bench()->set_select("none");
  Client client(cluster.address(), "");
  auto sha = client.UploadDataset(dataset);
  ASSERT_TRUE(sha.ok());
  auto launched = client.Launch(spec, *sha);
  ASSERT_TRUE(launched.ok());

  // Wait for the first epoch report, then kill the worker outright.
  bool running = false;
  for (int i = 0; i < 600 && !running; ++i) {
    running = cluster.Count("SELECT COUNT(*) FROM epochs") > 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(running) << doomed->LogTail();
  doomed->Stop(/*grace_seconds=*/0);  // SIGTERM, then SIGKILL at once

  // The lease runs out; the trial goes back to the queue as attempt 1.
  bool requeued = false;
  for (int i = 0; i < 100 && !requeued; ++i) {
    requeued = cluster.Count(
                   "SELECT COUNT(*) FROM tasks WHERE status = "
                   "'queued' AND attempt = 1 AND error LIKE "
                   "'lease of worker % expired%'") == 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(requeued) << cluster.coordinator().LogTail();

  cluster.StartWorker("train", "rescuer");
  SweepStatus status = cluster.WaitFinished(client, launched->sweep_id(), 240);
  ASSERT_TRUE(status.finished());
  EXPECT_EQ(status.done(), 1);
  EXPECT_EQ(cluster.Count("SELECT attempt FROM tasks"), 2);
  EXPECT_EQ(cluster.Count("SELECT COUNT(*) FROM results"), 1);
}

TEST(EndToEnd, WorkerPointedAtADeadAddressRetriesThenSaysSo) {
  const std::string dir = TempDir("dead");
  auto worker = ChildProcess::Start(
      {Runfile("worker/pktgrid-worker"), "--coordinator=127.0.0.1:1",
       "--role=train", "--connect_timeout=2"},
      dir + "/worker.log");
  ASSERT_TRUE(worker.ok());
  for (int i = 0; i < 300 && (*worker)->Running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE((*worker)->Running());
  EXPECT_EQ((*worker)->exit_code(), 1);
  const std::string log = (*worker)->LogTail(50);
  EXPECT_NE(log.find("unreachable"), std::string::npos) << log;
  EXPECT_NE(log.find("retrying in"), std::string::npos) << log;
  EXPECT_NE(log.find("cannot reach the coordinator at 127.0.0.1:1 after"),
            std::string::npos)
      << log;
}

TEST(EndToEnd, WrongTokenIsRefused) {
  const std::string dir = TempDir("token");
  const std::string port_file = dir + "/port";
  auto coordinator = ChildProcess::Start(
      {Runfile("coordinator/pktgrid-coordinator"), "--listen=127.0.0.1:0",
       "--port_file=" + port_file, "--db=" + dir + "/db.sqlite",
       "--artifacts=" + dir + "/artifacts", "--token=s3cret"},
      dir + "/coordinator.log");
  ASSERT_TRUE(coordinator.ok());
  int port = 0;
  for (int i = 0; i < 600 && port == 0; ++i) {
    std::ifstream(port_file) >> port;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(port, 0);
  const std::string address = absl::StrCat("127.0.0.1:", port);
  auto refused = Client(address, "wrong").Sweeps();
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::IsUnauthenticated(refused.status())) << refused.status();
  auto allowed = Client(address, "s3cret").Sweeps();
  EXPECT_TRUE(allowed.ok()) << allowed.status();
}

}  // namespace
}  // namespace pktgrid
