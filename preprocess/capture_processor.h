#ifndef PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_
#define PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_

#include <cstdint>
#include <string>

#include "preprocess/label_policy.h"
#include "preprocess/options.h"
#include "preprocess/report.h"
#include "preprocess/sampler.h"

namespace pktgrid {
namespace preprocess {

// Turns capture files into labelled feature rows: decode, track flows, label
// each flow with nDPI, and hand every kept payload packet to the sampler
// under its flow's final class. Rows wait in their flow only until nDPI's
// verdict is final (at most ~80 packets), then stream to the sampler, so
// memory stays bounded by live flows plus the sampler's cap.
class CaptureProcessor {
 public:
  CaptureProcessor(const PreprocessOptions& options, const LabelPolicy& policy,
                   const ClassSelection& selection, ClassSampler* sampler);

  // Processes one file; never fails as a whole: open/read errors land in
  // FileSummary::error and what was read before the error still counts.
  // Flows do not span files.
  FileSummary Process(const std::string& path);

 private:
  const PreprocessOptions& options_;
  const LabelPolicy& policy_;
  const ClassSelection& selection_;
  ClassSampler* sampler_;
  uint32_t next_flow_id_ = 0;  // unique across files
  uint64_t next_seq_ = 0;      // global packet order
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_CAPTURE_PROCESSOR_H_
