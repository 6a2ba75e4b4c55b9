#include "storage/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pktgrid {

struct Sha256::Impl {
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx{EVP_MD_CTX_new()};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  EVP_DigestInit_ex(impl_->ctx.get(), EVP_sha256(), nullptr);
}

Sha256::~Sha256() = default;

void Sha256::Update(absl::string_view data) {
  EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size());
}

std::string Sha256::Digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(impl_->ctx.get(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string Sha256::HexDigest() { return ToHex(Digest()); }

std::string ToHex(absl::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

std::string Sha256Hex(absl::string_view data) {
  Sha256 sha;
  sha.Update(data);
  return sha.HexDigest();
}

absl::StatusOr<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(fopen(path.c_str(), "rb"), fclose);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  Sha256 sha;
  std::vector<char> buffer(1 << 20);
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    sha.Update(absl::string_view(buffer.data(), n));
  }
  if (ferror(file.get())) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return sha.HexDigest();
}

}  // namespace pktgrid
