#include "coordinator/services.h"

#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "coordinator/sweep_spec.h"
#include "storage/dataset_file.h"

namespace pktgrid {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

grpc::Status CheckToken(const grpc::ServerContext* context,
                        const std::string& token) {
  if (token.empty()) return grpc::Status::OK;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end() &&
      std::string(it->second.data(), it->second.size()) ==
          absl::StrCat("Bearer ", token)) {
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "missing or wrong bearer token (--token)");
}

// Runs `body` once the caller is authenticated.
template <typename Body>
grpc::Status Authed(const grpc::ServerContext* context,
                    const ServiceContext& ctx, Body body) {
  if (grpc::Status auth = CheckToken(context, ctx.token); !auth.ok()) {
    return auth;
  }
  return ToGrpc(body());
}

absl::Status StreamFile(const std::string& path, const std::string& kind,
                        const std::string& sha256,
                        grpc::ServerWriter<Chunk>* writer) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("no ", kind, " ", sha256));
  std::string buffer(kChunkBytes, '\0');
  bool first = true;
  do {
    file.read(buffer.data(), buffer.size());
    Chunk chunk;
    if (first) {
      chunk.set_kind(kind);
      chunk.set_sha256(sha256);
      first = false;
    }
    chunk.set_data(buffer.data(), file.gcount());
    if (!writer->Write(chunk)) {
      return absl::CancelledError("client went away during download");
    }
  } while (file);
  return absl::OkStatus();
}

// Receives an artifact of `kind`, verifies its digest, records it.
absl::StatusOr<UploadResponse> ReceiveArtifact(
    const ServiceContext& ctx, const std::string& kind,
    grpc::ServerReader<Chunk>* reader) {
  auto writer = ctx.artifacts->NewWriter(kind);
  if (!writer.ok()) return writer.status();
  Chunk chunk;
  std::string claimed;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) {
      if (chunk.kind() != kind) {
        return absl::InvalidArgumentError(absl::StrCat(
            "upload of kind \"", chunk.kind(), "\"; expected \"", kind, "\""));
      }
      claimed = chunk.sha256();
      first = false;
    }
    if (auto s = (*writer)->Append(chunk.data()); !s.ok()) return s;
  }
  const int64_t bytes = (*writer)->bytes();
  auto sha = (*writer)->Finish(claimed);
  if (!sha.ok()) return sha.status();
  const std::string path = ctx.artifacts->PathOf(kind, *sha);
  if (kind == "dataset") {
    // Refuse a file workers could not read, and remove it again.
    if (auto parsed = ReadDatasetFile(path); !parsed.ok()) {
      std::remove(path.c_str());
      return absl::InvalidArgumentError(absl::StrCat(
          "uploaded dataset is not valid: ", parsed.status().message()));
    }
  }
  if (auto s =
          ctx.scheduler->RecordArtifact(ArtifactRow{*sha, kind, path, bytes});
      !s.ok()) {
    return s;
  }
  UploadResponse response;
  response.set_sha256(*sha);
  response.set_bytes(bytes);
  return response;
}

// Copies a result into `out` on success.
template <typename T>
absl::Status Assign(absl::StatusOr<T> value, T* out) {
  if (!value.ok()) return value.status();
  *out = std::move(*value);
  return absl::OkStatus();
}

}  // namespace

grpc::Status WorkerServiceImpl::Register(grpc::ServerContext* context,
                                         const RegisterRequest* request,
                                         RegisterResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(ctx_.scheduler->Register(request->info()), response);
  });
}

grpc::Status WorkerServiceImpl::LeaseTask(grpc::ServerContext* context,
                                          const LeaseRequest* request,
                                          LeaseResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(ctx_.scheduler->Lease(request->worker_id()), response);
  });
}

grpc::Status WorkerServiceImpl::Heartbeat(grpc::ServerContext* context,
                                          const HeartbeatRequest* request,
                                          HeartbeatResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(ctx_.scheduler->Heartbeat(*request), response);
  });
}

grpc::Status WorkerServiceImpl::ReportEpoch(grpc::ServerContext* context,
                                            const EpochReport* request, Ack*) {
  return Authed(context, ctx_,
                [&] { return ctx_.scheduler->ReportEpoch(*request); });
}

grpc::Status WorkerServiceImpl::ReportResult(grpc::ServerContext* context,
                                             const ResultReport* request,
                                             Ack*) {
  return Authed(context, ctx_,
                [&] { return ctx_.scheduler->ReportResult(*request); });
}

grpc::Status WorkerServiceImpl::FetchDataset(
    grpc::ServerContext* context, const FetchRequest* request,
    grpc::ServerWriter<Chunk>* writer) {
  return Authed(context, ctx_, [&] {
    return StreamFile(ctx_.artifacts->PathOf("dataset", request->sha256()),
                      "dataset", request->sha256(), writer);
  });
}

grpc::Status WorkerServiceImpl::UploadModel(grpc::ServerContext* context,
                                            grpc::ServerReader<Chunk>* reader,
                                            UploadResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(ReceiveArtifact(ctx_, "model", reader), response);
  });
}

grpc::Status WorkerServiceImpl::FetchModel(grpc::ServerContext* context,
                                           const FetchRequest* request,
                                           grpc::ServerWriter<Chunk>* writer) {
  return Authed(context, ctx_, [&] {
    return StreamFile(ctx_.artifacts->PathOf("model", request->sha256()),
                      "model", request->sha256(), writer);
  });
}

grpc::Status ClientServiceImpl::UploadDataset(grpc::ServerContext* context,
                                              grpc::ServerReader<Chunk>* reader,
                                              UploadResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(ReceiveArtifact(ctx_, "dataset", reader), response);
  });
}

grpc::Status ClientServiceImpl::LaunchSweep(grpc::ServerContext* context,
                                            const LaunchRequest* request,
                                            LaunchResponse* response) {
  return Authed(context, ctx_, [&] {
    return Assign(
        ctx_.scheduler->Launch(request->spec(), request->dataset_sha256()),
        response);
  });
}

grpc::Status ClientServiceImpl::GetSweepStatus(
    grpc::ServerContext* context, const SweepStatusRequest* request,
    SweepStatus* response) {
  return Authed(context, ctx_, [&] {
    // Status polls double as the lease-expiry tick when no worker is asking.
    if (auto expired = ctx_.scheduler->ExpireLeases(); !expired.ok()) {
      return expired.status();
    }
    return Assign(ctx_.scheduler->Status(request->sweep_id()), response);
  });
}

grpc::Status ClientServiceImpl::ListSweeps(grpc::ServerContext* context,
                                           const ListSweepsRequest*,
                                           ListSweepsResponse* response) {
  return Authed(context, ctx_, [&]() -> absl::Status {
    auto sweeps = ctx_.scheduler->Sweeps();
    if (!sweeps.ok()) return sweeps.status();
    for (auto& s : *sweeps) *response->add_sweeps() = std::move(s);
    return absl::OkStatus();
  });
}

grpc::Status ClientServiceImpl::ListTrials(grpc::ServerContext* context,
                                           const ListTrialsRequest* request,
                                           ListTrialsResponse* response) {
  return Authed(context, ctx_, [&]() -> absl::Status {
    auto rows = ctx_.scheduler->Trials(request->sweep_id());
    if (!rows.ok()) return rows.status();
    for (auto& row : *rows) *response->add_trials() = std::move(row);
    return absl::OkStatus();
  });
}

grpc::Status ClientServiceImpl::QueryResults(grpc::ServerContext* context,
                                             const QueryResultsRequest* request,
                                             QueryResultsResponse* response) {
  return Authed(context, ctx_, [&]() -> absl::Status {
    auto rows = ctx_.scheduler->Trials(request->sweep_id());
    if (!rows.ok()) return rows.status();
    // Keeps rows in trial order; with best_per_group, one row per
    // (family, size, input): the best validation accuracy, first on ties.
    std::map<std::string, int> best_index;
    for (auto& row : *rows) {
      const TrialConfig& c = row.config();
      if (!request->family().empty() && c.family() != request->family()) {
        continue;
      }
      if (!request->best_per_group()) {
        *response->add_rows() = std::move(row);
        continue;
      }
      if (!row.has_train()) continue;
      const std::string key = GroupKey(c);
      auto it = best_index.find(key);
      if (it == best_index.end()) {
        best_index[key] = response->rows_size();
        *response->add_rows() = std::move(row);
      } else if (row.train().val_accuracy() >
                 response->rows(it->second).train().val_accuracy()) {
        *response->mutable_rows(it->second) = std::move(row);
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status ClientServiceImpl::Rebench(grpc::ServerContext* context,
                                        const RebenchRequest* request,
                                        RebenchResponse* response) {
  return Authed(context, ctx_, [&]() -> absl::Status {
    auto queued =
        ctx_.scheduler->Rebench(request->sweep_id(), request->trial_id());
    if (!queued.ok()) return queued.status();
    if (*queued == 0) {
      return absl::NotFoundError(absl::StrCat(
          "no trained trial ",
          request->trial_id().empty() ? "with a benchmark"
                                      : "matching " + request->trial_id(),
          " in sweep ", request->sweep_id()));
    }
    response->set_queued(*queued);
    return absl::OkStatus();
  });
}

}  // namespace pktgrid
