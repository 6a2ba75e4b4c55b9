#include "cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/client.h"
#include "cli/flags.h"
#include "cli/results_format.h"
#include "cli/sweep_watch.h"
#include "coordinator/sweep_spec.h"
#include "preprocess/pipeline.h"
#include "preprocess/synth.h"

namespace pktgrid {
namespace {

std::string Token() {
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && getenv("PKTGRID_TOKEN")) token = getenv("PKTGRID_TOKEN");
  return token;
}

Client MakeClient() {
  return Client(absl::GetFlag(FLAGS_coordinator), Token(),
                {absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert),
                 absl::GetFlag(FLAGS_tls_key)});
}

absl::Status NoPositional(const std::vector<std::string>& args) {
  if (args.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "unexpected argument \"", args[0], "\" (see pktgrid --help)"));
}

// --sweep, or the newest sweep the coordinator knows.
absl::StatusOr<std::string> SweepId(Client& client) {
  if (!absl::GetFlag(FLAGS_sweep).empty()) return absl::GetFlag(FLAGS_sweep);
  auto sweeps = client.Sweeps();
  if (!sweeps.ok()) return sweeps.status();
  if (sweeps->empty()) {
    return absl::NotFoundError("the coordinator has no sweeps yet");
  }
  return sweeps->back().sweep_id();
}

absl::StatusOr<preprocess::SplitRatios> ParseSplit(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ',');
  preprocess::SplitRatios ratios;
  if (parts.size() != 3 || !absl::SimpleAtod(parts[0], &ratios.train) ||
      !absl::SimpleAtod(parts[1], &ratios.val) ||
      !absl::SimpleAtod(parts[2], &ratios.test)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--split=", text, ": expected three ratios like 0.64,0.16,0.20"));
  }
  return ratios;
}

}  // namespace

void WarnAboutEmptySplits(const preprocess::PreprocessReport& report) {
  static constexpr const char* kSplits[] = {"train", "val", "test"};
  for (const preprocess::ClassSummary& c : report.classes) {
    for (int s = 0; s < 3; ++s) {
      if (c.per_split[s] == 0) {
        std::cerr << "warning: class " << c.name << " has no " << kSplits[s]
                  << " rows (too few flows for --split_by=flow?); its "
                  << kSplits[s] << " metrics will be meaningless\n";
      }
    }
  }
}

absl::StatusOr<preprocess::PreprocessOptions> PreprocessOptionsFromFlags() {
  preprocess::PreprocessOptions o;
  o.features.bytes = absl::GetFlag(FLAGS_bytes);
  auto mask = preprocess::ParseMaskMode(absl::GetFlag(FLAGS_mask));
  if (!mask.ok()) return mask.status();
  o.features.mask = *mask;
  if (absl::GetFlag(FLAGS_skip) < 0 || absl::GetFlag(FLAGS_bytes) <= 0) {
    return absl::InvalidArgumentError("--bytes must be > 0 and --skip >= 0");
  }
  o.features.skip = absl::GetFlag(FLAGS_skip);
  o.max_per_flow = absl::GetFlag(FLAGS_max_per_flow);
  o.drop_labels = absl::GetFlag(FLAGS_drop);
  o.merges = absl::GetFlag(FLAGS_merge);
  o.classes = absl::GetFlag(FLAGS_classes);
  const int64_t per_class = absl::GetFlag(FLAGS_per_class);
  o.per_class = per_class < 0 ? 10000 : per_class;
  o.take_available = absl::GetFlag(FLAGS_take_available);
  o.seed = absl::GetFlag(FLAGS_seed);
  auto ratios = ParseSplit(absl::GetFlag(FLAGS_split));
  if (!ratios.ok()) return ratios.status();
  o.ratios = *ratios;
  const std::string split_by = absl::GetFlag(FLAGS_split_by);
  if (split_by != "packet" && split_by != "flow") {
    return absl::InvalidArgumentError(
        absl::StrCat("--split_by=", split_by, ": expected packet or flow"));
  }
  o.split_by_flow = split_by == "flow";
  o.export_csv = absl::GetFlag(FLAGS_csv);
  o.exclude_guessed = absl::GetFlag(FLAGS_exclude_guessed);
  o.tunnel_outer_view = absl::GetFlag(FLAGS_tunnel_outer_view);
  return o;
}

std::vector<std::string> PcapInputs(const std::vector<std::string>& args) {
  std::vector<std::string> inputs = absl::GetFlag(FLAGS_pcap);
  inputs.insert(inputs.end(), args.begin(), args.end());
  return inputs;
}

absl::StatusOr<SweepSpec> SpecFromFlags() {
  const std::string path = absl::GetFlag(FLAGS_spec);
  if (path.empty()) return PresetSpec(absl::GetFlag(FLAGS_preset));
  std::ifstream file(path);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot open the spec: ", strerror(errno)));
  }
  std::stringstream text;
  text << file.rdbuf();
  auto spec = ParseSweepSpec(text.str(), path);
  if (!spec.ok()) return spec.status();
  // Validate here too, so a bad spec fails before anything is uploaded.
  if (auto normalized = NormalizeSweepSpec(*spec); !normalized.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", normalized.status().message()));
  }
  return spec;
}

absl::Status RunSynth(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) return absl::InvalidArgumentError("--out is required");
  preprocess::SynthOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  if (absl::GetFlag(FLAGS_flows_per_app) > 0) {
    options.flows_per_app = absl::GetFlag(FLAGS_flows_per_app);
  }
  if (absl::GetFlag(FLAGS_packets_per_flow) > 0) {
    options.packets_per_flow = absl::GetFlag(FLAGS_packets_per_flow);
  }
  if (auto s = preprocess::WriteSynthCapture(out, options); !s.ok()) return s;
  std::cerr << "pktgrid synth: wrote " << out << "\n";
  return absl::OkStatus();
}

absl::Status RunPreprocess(const std::vector<std::string>& args) {
  const std::vector<std::string> inputs = PcapInputs(args);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "give captures with --pcap or as arguments");
  }
  if (out.empty()) {
    return absl::InvalidArgumentError("--out is required");
  }
  auto options = PreprocessOptionsFromFlags();
  if (!options.ok()) return options.status();
  auto report = preprocess::BuildDataset(*options, inputs, out);
  if (!report.ok()) return report.status();
  std::cerr << preprocess::FormatReport(*report, absl::GetFlag(FLAGS_per_file));
  WarnAboutEmptySplits(*report);
  // The dataset's identity on stdout, for scripts.
  std::cout << report->dataset_sha256 << "  " << out << "\n";
  return absl::OkStatus();
}

absl::Status RunLaunch(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  auto spec = SpecFromFlags();
  if (!spec.ok()) return spec.status();
  const std::string dataset = absl::GetFlag(FLAGS_dataset);
  if (dataset.empty()) {
    return absl::InvalidArgumentError(
        "--dataset is required (make one with `pktgrid preprocess`)");
  }
  Client client = MakeClient();
  auto sha = client.UploadDataset(dataset);
  if (!sha.ok()) return sha.status();
  auto launched = client.Launch(*spec, *sha);
  if (!launched.ok()) return launched.status();
  std::cerr << "pktgrid: sweep " << launched->sweep_id() << " has "
            << launched->trials() << " trials (" << launched->new_trials()
            << " new)\n";
  std::cout << launched->sweep_id() << "\n";
  if (!absl::GetFlag(FLAGS_watch)) return absl::OkStatus();
  return WatchSweep(client, launched->sweep_id(), nullptr);
}

absl::Status RunStatus(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  Client client = MakeClient();
  auto id = SweepId(client);
  if (!id.ok()) return id.status();
  if (absl::GetFlag(FLAGS_watch)) return WatchSweep(client, *id, nullptr);
  auto status = client.Status(*id);
  if (!status.ok()) return status.status();
  std::cout << "sweep " << status->sweep_id() << " (" << status->name()
            << "): " << FormatStatusLine(*status)
            << (status->finished() ? " | finished" : "") << "\n";
  return absl::OkStatus();
}

absl::Status RunResults(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  Client client = MakeClient();
  auto id = SweepId(client);
  if (!id.ok()) return id.status();
  const std::string family = absl::GetFlag(FLAGS_family);
  const auto& known = KnownFamilies();
  if (!family.empty() &&
      std::find(known.begin(), known.end(), family) == known.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--family=", family, ": expected one of ", absl::StrJoin(known, ", ")));
  }
  auto rows = client.Results(*id, family, absl::GetFlag(FLAGS_best));
  if (!rows.ok()) return rows.status();
  auto text = FormatResults(*rows, absl::GetFlag(FLAGS_format));
  if (!text.ok()) return text.status();
  std::cout << *text;
  return absl::OkStatus();
}

absl::Status RunTrial(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  const std::string prefix = absl::GetFlag(FLAGS_trial);
  if (prefix.empty()) return absl::InvalidArgumentError("--trial is required");
  Client client = MakeClient();
  auto id = SweepId(client);
  if (!id.ok()) return id.status();
  auto rows = client.Trials(*id);
  if (!rows.ok()) return rows.status();
  std::vector<const TrialRow*> matches;
  for (const TrialRow& row : *rows) {
    if (row.config().trial_id().rfind(prefix, 0) == 0) matches.push_back(&row);
  }
  if (matches.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no trial ", prefix, " in sweep ", *id));
  }
  if (matches.size() > 1) {
    std::string ids;
    for (const TrialRow* m : matches) {
      absl::StrAppend(&ids, "\n  ", m->config().trial_id(), " ",
                      m->config().family(), " ", m->config().size());
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "--trial=", prefix, " matches ", matches.size(), " trials:", ids));
  }
  std::cout << FormatTrialDetail(*matches.front());
  return absl::OkStatus();
}

absl::Status RunSweeps(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  Client client = MakeClient();
  auto sweeps = client.Sweeps();
  if (!sweeps.ok()) return sweeps.status();
  std::cout << "sweep_id      name          trials  dataset\n";
  for (const SweepSummary& s : *sweeps) {
    std::cout << absl::StrFormat("%-12s  %-12s  %6d  %s\n", s.sweep_id(),
                                 s.name(), s.trials(),
                                 s.dataset_sha256().substr(0, 16));
  }
  return absl::OkStatus();
}

absl::Status RunRebench(const std::vector<std::string>& args) {
  if (auto s = NoPositional(args); !s.ok()) return s;
  Client client = MakeClient();
  auto id = SweepId(client);
  if (!id.ok()) return id.status();
  auto queued = client.Rebench(*id, absl::GetFlag(FLAGS_trial));
  if (!queued.ok()) return queued.status();
  std::cerr << "pktgrid: queued " << *queued << " benchmark(s) of sweep " << *id
            << " for the next bench worker\n";
  if (!absl::GetFlag(FLAGS_watch)) return absl::OkStatus();
  return WatchSweep(client, *id, nullptr);
}

}  // namespace pktgrid
