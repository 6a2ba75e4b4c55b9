#include "cli/flags.h"

#include "absl/flags/flag.h"

// Talking to a coordinator.
ABSL_FLAG(std::string, coordinator, "127.0.0.1:7070",
          "coordinator address host:port (launch, status, results, trial, "
          "sweeps, rebench)");
ABSL_FLAG(std::string, token, "",
          "bearer token for the coordinator (default: $PKTGRID_TOKEN)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA that signed the coordinator's certificate; set = TLS");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate for mutual TLS (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, sweep, "",
          "sweep id (status, results, trial, rebench); default: the newest "
          "sweep");
ABSL_FLAG(std::string, trial, "", "trial id or unique prefix (trial, rebench)");
ABSL_FLAG(std::string, format, "table",
          "results output: table, csv or json (results, local)");
ABSL_FLAG(bool, best, false,
          "results: one row per (family, size, input), the best validation "
          "accuracy, as the paper reports");
ABSL_FLAG(std::string, family, "", "results: only this model family");
ABSL_FLAG(bool, watch, false,
          "launch, status, rebench: follow progress until the sweep "
          "finishes");

// What to run.
ABSL_FLAG(std::string, preset, "quick",
          "built-in sweep: quick, paper-exp1, paper-exp2, paper (launch, "
          "local)");
ABSL_FLAG(std::string, spec, "",
          "sweep spec file in protobuf text format; overrides --preset");
ABSL_FLAG(std::string, dataset, "",
          "dataset file made by `pktgrid preprocess` (launch, local)");
ABSL_FLAG(std::vector<std::string>, pcap, {},
          "captures (files or directories, comma-separated; positional "
          "arguments work too) (preprocess, local)");
ABSL_FLAG(std::string, out, "",
          "output file (synth: the pcap; preprocess: the dataset)");

// synth
ABSL_FLAG(uint64_t, seed, 42,
          "seed for synth traffic and for preprocess sampling and split");
ABSL_FLAG(int, flows_per_app, 0,
          "synth: flows per application (0 = generator default)");
ABSL_FLAG(int, packets_per_flow, 0,
          "synth: data packets per flow (0 = generator default)");

// preprocess
ABSL_FLAG(int64_t, per_class, -1,
          "preprocess: packets sampled per class; 0 = all; default 10000 "
          "(the paper's), 300 for the capture `local` generates");
ABSL_FLAG(bool, take_available, false,
          "preprocess: take what there is when a class has fewer than "
          "--per_class packets instead of failing");
ABSL_FLAG(std::string, classes, "",
          "preprocess: classes to keep: empty = all, top:N, or A,B,C");
ABSL_FLAG(std::vector<std::string>, drop,
          std::vector<std::string>({"HTTP", "SSDP", "Unknown", "TLS",
                                    "HTTP_Proxy", "DNS"}),
          "preprocess: nDPI labels to drop (the paper's generic classes)");
ABSL_FLAG(std::vector<std::string>, merge, {},
          "preprocess: label merges A=B, comma-separated");
ABSL_FLAG(int, bytes, 1480, "preprocess: feature bytes per packet");
ABSL_FLAG(std::string, mask, "transport",
          "preprocess: header masking: transport (TCP header by data "
          "offset, 8 bytes of UDP), fixed20 (the paper's code) or none");
ABSL_FLAG(int, skip, 0,
          "preprocess: drop this many leading IP-payload bytes first");
ABSL_FLAG(std::string, split, "0.64,0.16,0.20",
          "preprocess: train,val,test ratios");
ABSL_FLAG(std::string, split_by, "packet",
          "preprocess: packet (stratified by class) or flow (a flow's "
          "packets stay in one split)");
ABSL_FLAG(int, max_per_flow, 10001,
          "preprocess: at most this many packets from one flow");
ABSL_FLAG(bool, exclude_guessed, false,
          "preprocess: drop flows whose label nDPI only guessed");
ABSL_FLAG(bool, tunnel_outer_view, false,
          "preprocess: label and featurise GTP-U/VXLAN/CAPWAP/TZSP tunnels "
          "by their outer packets instead of decapsulating them");
ABSL_FLAG(bool, per_file, true,
          "preprocess, local: print the per-file summary table "
          "(--noper_file: totals, errors and classes only)");
ABSL_FLAG(bool, csv, false,
          "preprocess: also write train.csv, val.csv, test.csv "
          "(label,byte1..byteN) next to the dataset");

// local
ABSL_FLAG(std::string, workdir, "pktgrid-out",
          "local: directory for the capture, dataset, database, artifacts "
          "and logs");
ABSL_FLAG(std::string, bin_dir, "",
          "local: directory holding pktgrid-coordinator and pktgrid-worker "
          "(default: found next to this binary or on PATH)");
ABSL_FLAG(int, train_threads, 0,
          "local: threads of the train worker (0 = all cores but the one "
          "the bench worker is pinned to)");
