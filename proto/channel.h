#ifndef PKTGRID_PROTO_CHANNEL_H_
#define PKTGRID_PROTO_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pktgrid {

// PEM files for one side of a connection. Empty paths mean "not used".
struct TlsFiles {
  std::string ca;    // client: CA that signed the server; server: CA of
                     // client certificates (set = mutual TLS required)
  std::string cert;  // this side's certificate chain
  std::string key;   // this side's private key
};

// A channel to the coordinator: TLS when `tls.ca` is set (with a client
// certificate when cert and key are set), plaintext otherwise. Errors name
// the file that could not be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& address, const TlsFiles& tls,
    const grpc::ChannelArguments& args);

// Server credentials: TLS when cert and key are set (mutual when `tls.ca` is
// set too), insecure otherwise.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls);

}  // namespace pktgrid

#endif  // PKTGRID_PROTO_CHANNEL_H_
