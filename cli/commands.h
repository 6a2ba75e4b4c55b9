#ifndef PKTGRID_CLI_COMMANDS_H_
#define PKTGRID_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "preprocess/options.h"
#include "preprocess/report.h"
#include "proto/pktgrid.pb.h"

namespace pktgrid {

// One function per `pktgrid` subcommand; `args` are the positional arguments
// after the command name. Flags are read from the absl flags in pktgrid.cc.
absl::Status RunSynth(const std::vector<std::string>& args);
absl::Status RunPreprocess(const std::vector<std::string>& args);
absl::Status RunLaunch(const std::vector<std::string>& args);
absl::Status RunStatus(const std::vector<std::string>& args);
absl::Status RunResults(const std::vector<std::string>& args);
absl::Status RunTrial(const std::vector<std::string>& args);
absl::Status RunSweeps(const std::vector<std::string>& args);
absl::Status RunRebench(const std::vector<std::string>& args);
absl::Status RunLocal(const std::vector<std::string>& args);

// Shared by the commands: flags turned into the options they describe.
absl::StatusOr<preprocess::PreprocessOptions> PreprocessOptionsFromFlags();
std::vector<std::string> PcapInputs(const std::vector<std::string>& args);
// Says on stderr which classes ended up with an empty split.
void WarnAboutEmptySplits(const preprocess::PreprocessReport& report);
absl::StatusOr<SweepSpec> SpecFromFlags();

}  // namespace pktgrid

#endif  // PKTGRID_CLI_COMMANDS_H_
