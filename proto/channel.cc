#include "proto/channel.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pktgrid {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the TLS ", what));
  }
  std::stringstream text;
  text << file.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the TLS ", what, " is not a PEM file"));
  }
  return text.str();
}

absl::Status CheckPair(const TlsFiles& tls) {
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError(
        "TLS: give both a certificate and its key, or neither");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& address, const TlsFiles& tls,
    const grpc::ChannelArguments& args) {
  if (auto s = CheckPair(tls); !s.ok()) return s;
  if (tls.ca.empty()) {
    if (!tls.cert.empty()) {
      return absl::InvalidArgumentError(
          "TLS: a client certificate needs the server's CA (--tls_ca)");
    }
    return grpc::CreateCustomChannel(address,
                                     grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions options;
  auto ca = ReadPem(tls.ca, "CA certificate");
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  if (!tls.cert.empty()) {
    auto cert = ReadPem(tls.cert, "certificate");
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(tls.key, "key");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(options),
                                   args);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls) {
  if (auto s = CheckPair(tls); !s.ok()) return s;
  if (tls.cert.empty()) {
    if (!tls.ca.empty()) {
      return absl::InvalidArgumentError(
          "TLS: --tls_client_ca needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  auto cert = ReadPem(tls.cert, "certificate");
  if (!cert.ok()) return cert.status();
  auto key = ReadPem(tls.key, "key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(
      tls.ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.ca.empty()) {
    auto ca = ReadPem(tls.ca, "client CA certificate");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace pktgrid
