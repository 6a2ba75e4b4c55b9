#ifndef PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_
#define PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_

#include <cstdint>
#include <map>
#include <string>

namespace pktgrid {
namespace preprocess {

// The shared captures folder: $PKTGRID_SHARED_PCAPS, else ../shared/pcaps
// beside the real checkout, found by following this header (a runfile whose
// symlink leads to the checkout) out of the runfiles tree. Empty when the
// test does not run under Bazel; the caller checks that the folder exists
// and skips with a visible message when it does not.
std::string SharedPcapsDir();

// One payload-carrying TCP/UDP packet of the reference labelling
// (ndpi-4.2-packet-labels.tsv, made with ndpiReader): its label ("-" when
// ndpiReader tracked no flow for it) and nDPI's Master.App name.
struct ReferencePacket {
  std::string label;
  std::string ndpi_name;
};

// file -> frame (1-based) -> packet. Every file of the TSV appears, even one
// without payload packets.
using ReferenceLabels =
    std::map<std::string, std::map<uint64_t, ReferencePacket>>;
ReferenceLabels ReadReferenceLabels(const std::string& tsv);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_
