// `pktgrid local`: the whole system on one machine. Makes (or reads) the
// captures, builds the dataset, starts a coordinator and one worker of each
// role as child processes on loopback, runs the sweep to the end, prints the
// results and stops everything.
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/child_process.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/results_format.h"
#include "cli/sweep_watch.h"
#include "preprocess/pipeline.h"
#include "preprocess/synth.h"
#include "storage/artifact_store.h"
#include "storage/dataset_file.h"

namespace pktgrid {
namespace {

// The CPUs this process may run on.
std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int i = 0; i < CPU_SETSIZE; ++i) {
      if (CPU_ISSET(i, &set)) cpus.push_back(i);
    }
  }
  return cpus;
}

void Say(const std::string& line) {
  std::cerr << "pktgrid local: " << line << "\n";
}

// Reads the port the coordinator wrote once it was serving.
absl::StatusOr<int> WaitForPort(const std::string& port_file,
                                ChildProcess& coordinator) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream file(port_file);
    int port = 0;
    if (file >> port && port > 0) return port;
    if (!coordinator.Running()) {
      return absl::InternalError(absl::StrCat(
          "the coordinator exited with code ", coordinator.exit_code(),
          "; its log (", coordinator.log_path(), ") ends:\n",
          coordinator.LogTail()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError("the coordinator did not start in 30 s");
}

// The dataset to sweep: --dataset as given, else built from --pcap, else
// from a synthetic capture made on the spot.
absl::StatusOr<std::string> PrepareDataset(const std::vector<std::string>& args,
                                           const std::string& workdir) {
  if (const std::string path = absl::GetFlag(FLAGS_dataset); !path.empty()) {
    if (auto dataset = ReadDatasetFile(path); !dataset.ok()) {
      return dataset.status();
    }
    return path;
  }
  std::vector<std::string> inputs = PcapInputs(args);
  auto options = PreprocessOptionsFromFlags();
  if (!options.ok()) return options.status();
  if (inputs.empty()) {
    const std::string capture = absl::StrCat(workdir, "/synth.pcap");
    preprocess::SynthOptions synth;
    synth.seed = absl::GetFlag(FLAGS_seed);
    if (absl::GetFlag(FLAGS_flows_per_app) > 0) {
      synth.flows_per_app = absl::GetFlag(FLAGS_flows_per_app);
    }
    if (absl::GetFlag(FLAGS_packets_per_flow) > 0) {
      synth.packets_per_flow = absl::GetFlag(FLAGS_packets_per_flow);
    }
    if (auto s = preprocess::WriteSynthCapture(capture, synth); !s.ok()) {
      return s;
    }
    Say(absl::StrCat("generated ", capture, " (seed ", synth.seed, ")"));
    inputs = {capture};
    // The generated capture holds flows_per_app * (packets_per_flow + 2)
    // payload packets per class.
    if (absl::GetFlag(FLAGS_per_class) < 0) options->per_class = 300;
  }
  const std::string dataset = absl::StrCat(workdir, "/dataset.pktds");
  auto report = preprocess::BuildDataset(*options, inputs, dataset);
  if (!report.ok()) return report.status();
  std::cerr << preprocess::FormatReport(*report, absl::GetFlag(FLAGS_per_file));
  WarnAboutEmptySplits(*report);
  return dataset;
}

}  // namespace

absl::Status RunLocal(const std::vector<std::string>& args) {
  const std::string workdir = absl::GetFlag(FLAGS_workdir);
  auto spec = SpecFromFlags();
  if (!spec.ok()) return spec.status();
  // Check what can be checked before any process starts.
  if (auto format = FormatResults({}, absl::GetFlag(FLAGS_format));
      !format.ok()) {
    return format.status();
  }
  auto coordinator_bin =
      FindBinary("pktgrid-coordinator", absl::GetFlag(FLAGS_bin_dir));
  if (!coordinator_bin.ok()) return coordinator_bin.status();
  auto worker_bin = FindBinary("pktgrid-worker", absl::GetFlag(FLAGS_bin_dir));
  if (!worker_bin.ok()) return worker_bin.status();

  if (auto s = MakeDirs(absl::StrCat(workdir, "/logs")); !s.ok()) return s;
  auto dataset = PrepareDataset(args, workdir);
  if (!dataset.ok()) return dataset.status();

  const std::string port_file = absl::StrCat(workdir, "/coordinator.port");
  std::remove(port_file.c_str());
  auto coordinator =
      ChildProcess::Start({*coordinator_bin, "--listen=127.0.0.1:0",
                           absl::StrCat("--port_file=", port_file),
                           absl::StrCat("--db=", workdir, "/pktgrid.sqlite"),
                           absl::StrCat("--artifacts=", workdir, "/artifacts")},
                          absl::StrCat(workdir, "/logs/coordinator.log"));
  if (!coordinator.ok()) return coordinator.status();
  auto port = WaitForPort(port_file, **coordinator);
  if (!port.ok()) return port.status();
  const std::string address = absl::StrCat("127.0.0.1:", *port);
  Say(absl::StrCat("coordinator on ", address, ", database ", workdir,
                   "/pktgrid.sqlite"));

  // The bench worker gets the last core to itself as far as it can; the
  // train worker's threads use the others.
  // OpenMP threads that spin after each parallel step steal the core the
  // bench worker and OpenBLAS need; the children inherit this.
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  const std::vector<int> cpus = AllowedCpus();
  const int bench_cpu = cpus.empty() ? -1 : cpus.back();
  int train_threads = absl::GetFlag(FLAGS_train_threads);
  if (train_threads <= 0) {
    train_threads = std::max(1, static_cast<int>(cpus.size()) - 1);
  }
  std::vector<std::unique_ptr<ChildProcess>> workers;
  for (const char* role : {"train", "bench"}) {
    std::vector<std::string> argv = {
        *worker_bin, absl::StrCat("--coordinator=", address),
        absl::StrCat("--role=", role),
        absl::StrCat("--cache_dir=", workdir, "/worker-cache"),
        "--connect_timeout=30"};
    if (std::string(role) == "train") {
      argv.push_back(absl::StrCat("--threads=", train_threads));
      argv.push_back("--device=cpu");
    } else {
      argv.push_back(absl::StrCat("--cpu=", bench_cpu));
    }
    auto worker = ChildProcess::Start(
        argv, absl::StrCat(workdir, "/logs/worker-", role, ".log"));
    if (!worker.ok()) return worker.status();
    workers.push_back(std::move(*worker));
  }
  Say(absl::StrCat("started a train worker (", train_threads,
                   train_threads == 1 ? " thread" : " threads",
                   ") and a bench worker (pinned to CPU ", bench_cpu,
                   "); logs in ", workdir, "/logs"));

  Client client(address, "");
  auto sha = client.UploadDataset(*dataset);
  if (!sha.ok()) return sha.status();
  auto launched = client.Launch(*spec, *sha);
  if (!launched.ok()) return launched.status();
  Say(absl::StrCat("sweep ", launched->sweep_id(), " (", spec->name(),
                   "): ", launched->trials(), " trials"));

  const auto start = std::chrono::steady_clock::now();
  auto alive = [&]() -> absl::Status {
    if (!(*coordinator)->Running()) {
      return absl::InternalError(absl::StrCat(
          "the coordinator died; its log ends:\n", (*coordinator)->LogTail()));
    }
    for (auto& w : workers) {
      if (!w->Running()) {
        return absl::InternalError(
            absl::StrCat(w->log_path(), ": worker exited with code ",
                         w->exit_code(), "; its log ends:\n", w->LogTail()));
      }
    }
    return absl::OkStatus();
  };
  if (auto s = WatchSweep(client, launched->sweep_id(), alive); !s.ok()) {
    return s;
  }
  auto rows = client.Results(launched->sweep_id(), "", false);
  if (!rows.ok()) return rows.status();
  auto text = FormatResults(*rows, absl::GetFlag(FLAGS_format));
  if (!text.ok()) return text.status();
  std::cout << *text << std::flush;
  Say(absl::StrCat(
      "sweep finished in ",
      static_cast<int>(std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count()),
      " s; results are in ", workdir, "/pktgrid.sqlite (sweep ",
      launched->sweep_id(), ")"));
  for (auto& w : workers) w->Stop();
  (*coordinator)->Stop();
  return absl::OkStatus();
}

}  // namespace pktgrid
