#ifndef PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_
#define PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_

#include <string>

namespace pktgrid {
namespace preprocess {

// The shared captures folder: $PKTGRID_SHARED_PCAPS, else ../shared/pcaps
// beside the real checkout, found by following this header (a runfile whose
// symlink leads to the checkout) out of the runfiles tree. Empty when the
// test does not run under Bazel; the caller checks that the folder exists
// and skips with a visible message when it does not.
std::string SharedPcapsDir();

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_TESTS_PREPROCESS_SHARED_PCAPS_H_
