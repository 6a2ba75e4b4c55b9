#ifndef PKTGRID_CLI_CLIENT_H_
#define PKTGRID_CLI_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/channel.h"
#include "proto/pktgrid.grpc.pb.h"

namespace pktgrid {

// A thin, Status-returning wrapper over the ClientService stub. If the TLS
// files cannot be read, every call returns that error.
class Client {
 public:
  Client(const std::string& address, std::string token, TlsFiles tls = {});

  // Streams a dataset file to the coordinator; returns its SHA-256.
  absl::StatusOr<std::string> UploadDataset(const std::string& path);
  absl::StatusOr<LaunchResponse> Launch(const SweepSpec& spec,
                                        const std::string& dataset_sha256);
  absl::StatusOr<SweepStatus> Status(const std::string& sweep_id);
  absl::StatusOr<std::vector<SweepSummary>> Sweeps();
  absl::StatusOr<std::vector<TrialRow>> Trials(const std::string& sweep_id);
  absl::StatusOr<std::vector<TrialRow>> Results(const std::string& sweep_id,
                                                const std::string& family,
                                                bool best_per_group);
  absl::StatusOr<int> Rebench(const std::string& sweep_id,
                              const std::string& trial_prefix);

 private:
  std::unique_ptr<grpc::ClientContext> Context() const;
  absl::Status FromGrpc(const grpc::Status& s) const;

  // One unary RPC with the token attached and errors as absl::Status.
  template <typename Response, typename Method, typename Request>
  absl::StatusOr<Response> Call(Method method, const Request& request) {
    Response response;
    auto context = Context();
    if (auto s =
            FromGrpc((stub_.get()->*method)(context.get(), request, &response));
        !s.ok()) {
      return s;
    }
    return response;
  }

  std::string address_;
  std::string token_;
  absl::Status init_;  // why the channel could not be made, if it could not
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ClientService::Stub> stub_;
};

}  // namespace pktgrid

#endif  // PKTGRID_CLI_CLIENT_H_
