#ifndef PKTGRID_CLI_RESULTS_FORMAT_H_
#define PKTGRID_CLI_RESULTS_FORMAT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/pktgrid.pb.h"

namespace pktgrid {

// Results as people and other tools read them. Table, CSV and JSON share
// one column list, so they always agree.
std::string FormatTable(const std::vector<TrialRow>& rows);
std::string FormatCsv(const std::vector<TrialRow>& rows);
std::string FormatJson(const std::vector<TrialRow>& rows);
absl::StatusOr<std::string> FormatResults(const std::vector<TrialRow>& rows,
                                          const std::string& format);

// One line: a progress bar, counts, and the running trials' epochs.
std::string FormatStatusLine(const SweepStatus& status);

// Per-epoch curve, per-class metrics and confusion matrix of one trial.
std::string FormatTrialDetail(const TrialRow& row);

}  // namespace pktgrid

#endif  // PKTGRID_CLI_RESULTS_FORMAT_H_
