// pktgrid-coordinator: the gRPC server that owns the SQLite database and the
// artifact files, expands sweeps and leases trials to workers.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "coordinator/scheduler.h"
#include "coordinator/services.h"
#include "proto/channel.h"
#include "storage/artifact_store.h"
#include "storage/store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7070",
          "address:port to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, db, "pktgrid.sqlite", "SQLite database file");
ABSL_FLAG(std::string, artifacts, "pktgrid-artifacts",
          "directory for content-addressed datasets and models");
ABSL_FLAG(std::string, token, "",
          "bearer token workers and clients must send (default: "
          "$PKTGRID_TOKEN; empty = no authentication)");
ABSL_FLAG(int, lease_seconds, 60,
          "a lease without a heartbeat for this long is re-queued");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain; with --tls_key, serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA of client certificates; set = mutual TLS required");
ABSL_FLAG(std::string, port_file, "",
          "write the bound port here once serving (for scripts and tests)");

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves the worker and client gRPC APIs, owns the "
      "SQLite results database and the artifact store.\n"
      "Usage: pktgrid-coordinator [--listen=127.0.0.1:7070] "
      "[--db=pktgrid.sqlite] [--artifacts=pktgrid-artifacts] [--token=T]");
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "coordinator/main.cc");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  absl::ParseCommandLine(argc, argv);
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && getenv("PKTGRID_TOKEN")) token = getenv("PKTGRID_TOKEN");

  auto store = pktgrid::Store::Open(absl::GetFlag(FLAGS_db));
  if (!store.ok()) {
    std::cerr << "pktgrid-coordinator: " << store.status().message() << "\n";
    return 1;
  }
  pktgrid::ArtifactStore artifacts(absl::GetFlag(FLAGS_artifacts));
  if (auto s = pktgrid::MakeDirs(absl::GetFlag(FLAGS_artifacts)); !s.ok()) {
    std::cerr << "pktgrid-coordinator: " << s.message() << "\n";
    return 1;
  }
  pktgrid::Scheduler::Options options;
  options.lease_ms = int64_t{absl::GetFlag(FLAGS_lease_seconds)} * 1000;
  options.heartbeat_seconds =
      std::max(1, absl::GetFlag(FLAGS_lease_seconds) / 6);
  pktgrid::Scheduler scheduler(store->get(), options, NowMs);
  pktgrid::ServiceContext ctx{&scheduler, &artifacts, token};
  pktgrid::WorkerServiceImpl worker_service(ctx);
  pktgrid::ClientServiceImpl client_service(ctx);

  const pktgrid::TlsFiles tls{absl::GetFlag(FLAGS_tls_client_ca),
                              absl::GetFlag(FLAGS_tls_cert),
                              absl::GetFlag(FLAGS_tls_key)};
  auto credentials = pktgrid::MakeServerCredentials(tls);
  if (!credentials.ok()) {
    std::cerr << "pktgrid-coordinator: " << credentials.status().message()
              << "\n";
    return 2;
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), *credentials, &port);
  // Without this, Linux lets a second coordinator bind the same port and
  // clients are split between two databases at random.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&worker_service);
  builder.RegisterService(&client_service);
  builder.SetMaxReceiveMessageSize(64 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "pktgrid-coordinator: cannot listen on "
              << absl::GetFlag(FLAGS_listen) << "\n";
    return 1;
  }
  const std::string listen = absl::GetFlag(FLAGS_listen);
  std::cerr << "pktgrid-coordinator: serving on "
            << listen.substr(0, listen.rfind(':')) << ":" << port << " (db "
            << absl::GetFlag(FLAGS_db) << ", artifacts "
            << absl::GetFlag(FLAGS_artifacts)
            << (token.empty() ? ", no token" : ", token required")
            << (tls.cert.empty() ? ", plaintext"
                : tls.ca.empty() ? ", TLS"
                                 : ", mutual TLS")
            << ")\n";
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    const std::string path = absl::GetFlag(FLAGS_port_file);
    std::ofstream(path + ".tmp") << port << "\n";
    std::rename((path + ".tmp").c_str(), path.c_str());
  }

  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  // The server runs on gRPC's threads; this one expires leases that no
  // worker's poll would notice and waits for a signal.
  while (!g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (auto expired = scheduler.ExpireLeases(); !expired.ok()) {
      std::cerr << "pktgrid-coordinator: " << expired.status().message()
                << "\n";
    } else if (*expired > 0) {
      std::cerr << "pktgrid-coordinator: re-queued " << *expired
                << " task(s) with expired leases\n";
    }
  }
  std::cerr << "pktgrid-coordinator: shutting down\n";
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}
