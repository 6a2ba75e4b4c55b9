#include "cli/client.h"

#include <grpcpp/grpcpp.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

}  // namespace

Client::Client(const std::string& address, std::string token, TlsFiles tls)
    : address_(address), token_(std::move(token)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  auto channel = MakeChannel(address, tls, args);
  if (!channel.ok()) {
    init_ = channel.status();
    // A channel that fails every call keeps the stub valid.
    channel = grpc::CreateChannel("unix:/nonexistent",
                                  grpc::InsecureChannelCredentials());
  }
  channel_ = *channel;
  stub_ = ClientService::NewStub(channel_);
}

absl::Status Client::FromGrpc(const grpc::Status& s) const {
  if (!init_.ok()) return init_;
  if (s.ok()) return absl::OkStatus();
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat(
        "coordinator at ", address_, " is unreachable: ", s.error_message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

std::unique_ptr<grpc::ClientContext> Client::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token_.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  }
  return context;
}

absl::StatusOr<std::string> Client::UploadDataset(const std::string& path) {
  if (!init_.ok()) return init_;
  auto sha = Sha256File(path);
  if (!sha.ok()) return sha.status();
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  auto context = Context();
  UploadResponse response;
  auto writer = stub_->UploadDataset(context.get(), &response);
  std::string buffer(kChunkBytes, '\0');
  bool first = true;
  do {
    file.read(buffer.data(), buffer.size());
    Chunk chunk;
    if (first) {
      chunk.set_kind("dataset");
      chunk.set_sha256(*sha);
      first = false;
    }
    chunk.set_data(buffer.data(), file.gcount());
    if (!writer->Write(chunk)) break;
  } while (file);
  writer->WritesDone();
  if (auto s = FromGrpc(writer->Finish()); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
  }
  return response.sha256();
}

absl::StatusOr<LaunchResponse> Client::Launch(
    const SweepSpec& spec, const std::string& dataset_sha256) {
  LaunchRequest request;
  *request.mutable_spec() = spec;
  request.set_dataset_sha256(dataset_sha256);
  return Call<LaunchResponse>(&ClientService::Stub::LaunchSweep, request);
}

absl::StatusOr<SweepStatus> Client::Status(const std::string& sweep_id) {
  SweepStatusRequest request;
  request.set_sweep_id(sweep_id);
  return Call<SweepStatus>(&ClientService::Stub::GetSweepStatus, request);
}

absl::StatusOr<std::vector<SweepSummary>> Client::Sweeps() {
  auto response = Call<ListSweepsResponse>(&ClientService::Stub::ListSweeps,
                                           ListSweepsRequest());
  if (!response.ok()) return response.status();
  return std::vector<SweepSummary>(response->sweeps().begin(),
                                   response->sweeps().end());
}

absl::StatusOr<std::vector<TrialRow>> Client::Trials(
    const std::string& sweep_id) {
  ListTrialsRequest request;
  request.set_sweep_id(sweep_id);
  auto response =
      Call<ListTrialsResponse>(&ClientService::Stub::ListTrials, request);
  if (!response.ok()) return response.status();
  return std::vector<TrialRow>(response->trials().begin(),
                               response->trials().end());
}

absl::StatusOr<std::vector<TrialRow>> Client::Results(
    const std::string& sweep_id, const std::string& family,
    bool best_per_group) {
  QueryResultsRequest request;
  request.set_sweep_id(sweep_id);
  request.set_family(family);
  request.set_best_per_group(best_per_group);
  auto response =
      Call<QueryResultsResponse>(&ClientService::Stub::QueryResults, request);
  if (!response.ok()) return response.status();
  return std::vector<TrialRow>(response->rows().begin(),
                               response->rows().end());
}

absl::StatusOr<int> Client::Rebench(const std::string& sweep_id,
                                    const std::string& trial_prefix) {
  RebenchRequest request;
  request.set_sweep_id(sweep_id);
  request.set_trial_id(trial_prefix);
  auto response = Call<RebenchResponse>(&ClientService::Stub::Rebench, request);
  if (!response.ok()) return response.status();
  return response->queued();
}

}  // namespace pktgrid
