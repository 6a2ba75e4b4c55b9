// pktgrid-worker: leases trials from a coordinator and runs them. Role
// `train` trains models (GPU when LibTorch sees one); role `bench` pins itself
// to one core and measures packets/second of trained models.
#include <csignal>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "worker/runtime.h"
#include "worker/torch_runtime.h"

ABSL_FLAG(std::string, coordinator, "127.0.0.1:7070",
          "coordinator address host:port");
ABSL_FLAG(std::string, role, "train", "train or bench");
ABSL_FLAG(std::string, token, "", "bearer token (default: $PKTGRID_TOKEN)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA that signed the coordinator's certificate; set = TLS");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate for mutual TLS (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, name, "", "worker name shown in status (host:pid)");
ABSL_FLAG(std::string, device, "auto",
          "train device: auto (CUDA if available), cpu, or cuda:N");
ABSL_FLAG(int, threads, 0,
          "training threads; 0 = every core this process may use");
ABSL_FLAG(int, cpu, -1,
          "bench role: the CPU to pin to (-1 = first allowed CPU)");
ABSL_FLAG(std::string, cache_dir, "pktgrid-worker-cache",
          "where fetched datasets are cached");
ABSL_FLAG(int, connect_timeout, 60,
          "seconds to keep retrying an unreachable coordinator before exiting");
ABSL_FLAG(int, max_tasks, 0, "exit after this many tasks (0 = no limit)");
ABSL_FLAG(int, exit_when_idle, 0,
          "exit after this many seconds without work (0 = never)");

namespace {
pktgrid::WorkerRuntime* g_runtime = nullptr;
void OnSignal(int) {
  if (g_runtime) g_runtime->Stop();
}
}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "runs trials leased from a pktgrid coordinator.\n"
      "Usage: pktgrid-worker --coordinator=HOST:PORT --role=train|bench "
      "[--token=T] [--device=auto] [--threads=0] [--cpu=-1]");
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "worker/main.cc");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  absl::ParseCommandLine(argc, argv);
  pktgrid::WorkerOptions options;
  options.coordinator = absl::GetFlag(FLAGS_coordinator);
  options.role = absl::GetFlag(FLAGS_role);
  options.name = absl::GetFlag(FLAGS_name);
  options.token = absl::GetFlag(FLAGS_token);
  if (options.token.empty() && getenv("PKTGRID_TOKEN")) {
    options.token = getenv("PKTGRID_TOKEN");
  }
  options.tls = {absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert),
                 absl::GetFlag(FLAGS_tls_key)};
  options.cache_dir = absl::GetFlag(FLAGS_cache_dir);
  options.connect_timeout_seconds = absl::GetFlag(FLAGS_connect_timeout);
  options.max_tasks = absl::GetFlag(FLAGS_max_tasks);
  options.exit_when_idle_seconds = absl::GetFlag(FLAGS_exit_when_idle);
  options.env.threads = absl::GetFlag(FLAGS_threads);

  if (options.role != "train" && options.role != "bench") {
    std::cerr << "pktgrid-worker: --role must be train or bench, not \""
              << options.role << "\"\n";
    return 2;
  }
  if (options.role == "bench") {
    auto cpu = pktgrid::PinToOneCpu(absl::GetFlag(FLAGS_cpu));
    if (!cpu.ok()) {
      std::cerr << "pktgrid-worker: " << cpu.status().message() << "\n";
      return 2;
    }
    std::cerr << "pktgrid-worker: bench role pinned to CPU " << *cpu << "\n";
    options.env.device = "cpu";
    options.env.threads = 1;
  } else {
    std::string device = absl::GetFlag(FLAGS_device);
    if (device == "auto") {
      device = pktgrid::TorchCudaAvailable() ? "cuda:0" : "cpu";
    } else if (device != "cpu" && device.rfind("cuda", 0) != 0) {
      std::cerr
          << "pktgrid-worker: --device must be auto, cpu or cuda:N, not \""
          << device << "\"\n";
      return 2;
    } else if (device != "cpu" && !pktgrid::TorchCudaAvailable()) {
      std::cerr << "pktgrid-worker: --device=" << device
                << " but this LibTorch sees no CUDA device\n";
      return 2;
    }
    options.env.device = device;
  }

  pktgrid::WorkerRuntime runtime(options);
  g_runtime = &runtime;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::Status status = runtime.Run();
  if (!status.ok()) {
    std::cerr << "pktgrid-worker: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
