#ifndef PKTGRID_PREPROCESS_SYNTH_H_
#define PKTGRID_PREPROCESS_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pktgrid {
namespace preprocess {

// A synthetic multi-application capture that nDPI 4.2 really labels: TCP
// flows with a full handshake and teardown opening with TLS ClientHellos
// for known SNIs (YouTube, Facebook, Instagram, NetFlix, Teams), a
// BitTorrent handshake, HTTP to Windows Update; plus generic TLS and DNS
// flows (labels the paper drops). Data packets then follow per-app size
// and byte-distribution recipes. Flows are interleaved in time.
struct SynthOptions {
  uint32_t flows_per_app = 10;
  // Data packets per flow after the opening exchange (so a TCP flow carries
  // packets_per_flow + 2 payload packets).
  uint32_t packets_per_flow = 30;
  uint64_t seed = 42;
  // App option names (SynthAppNames()); empty = all of them.
  std::vector<std::string> apps;
};

// "youtube", "facebook", "instagram", "netflix", "teams", "bittorrent",
// "windowsupdate", "tls", "dns".
std::vector<std::string> SynthAppNames();
// nDPI 4.2's label for an app name ("youtube" -> "YouTube"), "" if unknown.
std::string SynthExpectedLabel(const std::string& app);

// The capture as bytes of a classic pcap file (Ethernet, microseconds). The
// same options always give the same bytes.
absl::StatusOr<std::string> SynthCaptureBytes(const SynthOptions& options);

// Writes SynthCaptureBytes to `path`.
absl::Status WriteSynthCapture(const std::string& path,
                               const SynthOptions& options);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_SYNTH_H_
