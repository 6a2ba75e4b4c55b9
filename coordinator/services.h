#ifndef PKTGRID_COORDINATOR_SERVICES_H_
#define PKTGRID_COORDINATOR_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "coordinator/scheduler.h"
#include "proto/pktgrid.grpc.pb.h"
#include "storage/artifact_store.h"

namespace pktgrid {

// What both services share: the scheduler, the artifact files, and the
// bearer token every call must carry (when one is configured).
struct ServiceContext {
  Scheduler* scheduler;
  ArtifactStore* artifacts;
  std::string token;
};

// Transport for workers: translates RPCs to scheduler calls and streams
// artifacts. No scheduling decisions are made here.
class WorkerServiceImpl final : public WorkerService::Service {
 public:
  explicit WorkerServiceImpl(ServiceContext ctx) : ctx_(std::move(ctx)) {}

  grpc::Status Register(grpc::ServerContext*, const RegisterRequest*,
                        RegisterResponse*) override;
  grpc::Status LeaseTask(grpc::ServerContext*, const LeaseRequest*,
                         LeaseResponse*) override;
  grpc::Status Heartbeat(grpc::ServerContext*, const HeartbeatRequest*,
                         HeartbeatResponse*) override;
  grpc::Status ReportEpoch(grpc::ServerContext*, const EpochReport*,
                           Ack*) override;
  grpc::Status ReportResult(grpc::ServerContext*, const ResultReport*,
                            Ack*) override;
  grpc::Status FetchDataset(grpc::ServerContext*, const FetchRequest*,
                            grpc::ServerWriter<Chunk>*) override;
  grpc::Status UploadModel(grpc::ServerContext*, grpc::ServerReader<Chunk>*,
                           UploadResponse*) override;
  grpc::Status FetchModel(grpc::ServerContext*, const FetchRequest*,
                          grpc::ServerWriter<Chunk>*) override;

 private:
  ServiceContext ctx_;
};

// Transport for users: upload datasets, launch sweeps, query progress and
// results.
class ClientServiceImpl final : public ClientService::Service {
 public:
  explicit ClientServiceImpl(ServiceContext ctx) : ctx_(std::move(ctx)) {}

  grpc::Status UploadDataset(grpc::ServerContext*, grpc::ServerReader<Chunk>*,
                             UploadResponse*) override;
  grpc::Status LaunchSweep(grpc::ServerContext*, const LaunchRequest*,
                           LaunchResponse*) override;
  grpc::Status GetSweepStatus(grpc::ServerContext*, const SweepStatusRequest*,
                              SweepStatus*) override;
  grpc::Status ListSweeps(grpc::ServerContext*, const ListSweepsRequest*,
                          ListSweepsResponse*) override;
  grpc::Status ListTrials(grpc::ServerContext*, const ListTrialsRequest*,
                          ListTrialsResponse*) override;
  grpc::Status QueryResults(grpc::ServerContext*, const QueryResultsRequest*,
                            QueryResultsResponse*) override;
  grpc::Status Rebench(grpc::ServerContext*, const RebenchRequest*,
                       RebenchResponse*) override;

 private:
  ServiceContext ctx_;
};

}  // namespace pktgrid

#endif  // PKTGRID_COORDINATOR_SERVICES_H_
