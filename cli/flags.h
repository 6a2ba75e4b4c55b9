#ifndef PKTGRID_CLI_FLAGS_H_
#define PKTGRID_CLI_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"

// Flags of the `pktgrid` command (defined in flags.cc, documented there and
// in the README). One flag set serves all subcommands; each subcommand reads
// the ones it needs.
ABSL_DECLARE_FLAG(std::string, coordinator);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, sweep);
ABSL_DECLARE_FLAG(std::string, trial);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(bool, best);
ABSL_DECLARE_FLAG(std::string, family);
ABSL_DECLARE_FLAG(bool, watch);
ABSL_DECLARE_FLAG(std::string, preset);
ABSL_DECLARE_FLAG(std::string, spec);
ABSL_DECLARE_FLAG(std::string, dataset);
ABSL_DECLARE_FLAG(std::vector<std::string>, pcap);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(int, flows_per_app);
ABSL_DECLARE_FLAG(int, packets_per_flow);
ABSL_DECLARE_FLAG(int64_t, per_class);
ABSL_DECLARE_FLAG(bool, take_available);
ABSL_DECLARE_FLAG(std::string, classes);
ABSL_DECLARE_FLAG(std::vector<std::string>, drop);
ABSL_DECLARE_FLAG(std::vector<std::string>, merge);
ABSL_DECLARE_FLAG(int, bytes);
ABSL_DECLARE_FLAG(std::string, mask);
ABSL_DECLARE_FLAG(int, skip);
ABSL_DECLARE_FLAG(std::string, split);
ABSL_DECLARE_FLAG(std::string, split_by);
ABSL_DECLARE_FLAG(int, max_per_flow);
ABSL_DECLARE_FLAG(bool, csv);
ABSL_DECLARE_FLAG(bool, per_file);
ABSL_DECLARE_FLAG(bool, exclude_guessed);
ABSL_DECLARE_FLAG(bool, tunnel_outer_view);
ABSL_DECLARE_FLAG(std::string, workdir);
ABSL_DECLARE_FLAG(std::string, bin_dir);
ABSL_DECLARE_FLAG(int, train_threads);

#endif  // PKTGRID_CLI_FLAGS_H_
