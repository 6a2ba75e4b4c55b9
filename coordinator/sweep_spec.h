#ifndef PKTGRID_COORDINATOR_SWEEP_SPEC_H_
#define PKTGRID_COORDINATOR_SWEEP_SPEC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/pktgrid.pb.h"

namespace pktgrid {

// Parses a SweepSpec from protobuf text format; errors name `origin` and the
// line and column.
absl::StatusOr<SweepSpec> ParseSweepSpec(const std::string& text,
                                         const std::string& origin);

// Built-in specs: quick, paper-exp1, paper-exp2, paper.
std::vector<std::string> PresetNames();
absl::StatusOr<SweepSpec> PresetSpec(const std::string& name);

// Fills defaults (seed 42, 3 attempts, batch 32, 50 epochs, patience 5, L2
// 0.01, input 1480, bench "best" with 10000 packets x 25 runs, batch 32) and
// rejects specs that cannot run, naming the grid and field.
absl::StatusOr<SweepSpec> NormalizeSweepSpec(SweepSpec spec);

// The trial set of a (normalized) spec over one dataset, in grid order. Each
// trial's id is the SHA-256 of its configuration, so expanding twice gives
// the same ids.
std::vector<TrialConfig> ExpandSweep(const SweepSpec& spec,
                                     const std::string& dataset_sha256);

// Trials compared with each other when picking the best of a group
// (family, size or budget, input, skip, kernel): the paper's "for each size,
// the run with the best validation accuracy".
std::string GroupKey(const TrialConfig& trial);

const std::vector<std::string>& KnownFamilies();

}  // namespace pktgrid

#endif  // PKTGRID_COORDINATOR_SWEEP_SPEC_H_
