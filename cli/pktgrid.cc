// pktgrid: the command-line client. Makes captures and datasets, launches
// sweeps on a coordinator, follows them and prints their results; `local`
// runs the whole system on this machine.
#include <iostream>
#include <map>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "cli/commands.h"

namespace {

constexpr char kUsage[] = R"(packet-classifier sweeps across machines.

Usage: pktgrid COMMAND [flags] [captures...]

Commands:
  local       run a sweep end to end on this machine: generate a capture
              (or read --pcap / --dataset), build the dataset, start a
              coordinator and a train and a bench worker, print the results
              flags: --preset --spec --pcap --dataset --workdir --format
                     --bin_dir --train_threads and the preprocess flags
  synth       write a deterministic multi-application capture
              flags: --out --seed --flows_per_app --packets_per_flow
  preprocess  captures -> labelled dataset file (+ manifest JSON, CSVs)
              flags: --pcap --out --per_class --take_available --classes
                     --drop --merge --bytes --mask --skip --split --split_by
                     --max_per_flow --seed --csv --per_file --exclude_guessed
                     --tunnel_outer_view
  launch      upload a dataset and start a sweep on a coordinator; prints
              the sweep id   flags: --coordinator --token --dataset
                     --preset --spec --watch
  status      a sweep's progress   flags: --coordinator --sweep --watch
  results     a sweep's results    flags: --coordinator --sweep --format
                     --best --family
  trial       one trial's epochs, per-class metrics and benchmark
              flags: --coordinator --sweep --trial
  sweeps      list sweeps          flags: --coordinator
  rebench     run the benchmarks of trained models again (e.g. after
              starting a bench worker on a router-like VM); results are
              replaced   flags: --coordinator --sweep --trial --watch

Every flag, with its default, is listed by `pktgrid --help`.)";

}  // namespace

int main(int argc, char** argv) {
  absl::FlagsUsageConfig config;
  // --help lists the CLI's flags (defined in cli/flags.cc).
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "cli/");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << kUsage << "\n";
    return 2;
  }
  const std::string command = positional[1];
  const std::vector<std::string> args(positional.begin() + 2, positional.end());
  using Command = absl::Status (*)(const std::vector<std::string>&);
  const std::map<std::string, Command> commands = {
      {"local", pktgrid::RunLocal},           {"synth", pktgrid::RunSynth},
      {"preprocess", pktgrid::RunPreprocess}, {"launch", pktgrid::RunLaunch},
      {"status", pktgrid::RunStatus},         {"results", pktgrid::RunResults},
      {"trial", pktgrid::RunTrial},           {"sweeps", pktgrid::RunSweeps},
      {"rebench", pktgrid::RunRebench},
  };
  auto it = commands.find(command);
  if (it == commands.end()) {
    std::cerr << "pktgrid: unknown command \"" << command << "\"\n\n"
              << kUsage << "\n";
    return 2;
  }
  absl::Status status = it->second(args);
  if (!status.ok()) {
    std::cerr << "pktgrid " << command << ": " << status.message() << "\n";
    return absl::IsInvalidArgument(status) ? 2 : 1;
  }
  return 0;
}
