// train_bench: the pktgrid side of bench/training (speed and parity).
//
//   train_bench data --out=FILE [--from=DATASET] [--train=N --val=N --test=N]
//       Writes a dataset file both sides read: the first N rows of each split
//       of --from, or (no --from) a synthetic 1480-byte dataset of --classes
//       classes.
//   train_bench trial --dataset=FILE --family=F --size=S [--lr --dropout
//       --seed --threads --batch_size --max_epochs --patience --l2 --skip
//       --input_bytes]
//       Runs TrainTrial exactly as a worker does and prints one JSON line per
//       epoch and a final {"result": ...} line, the protocol of
//       pktgrid_torch.py, so compare.py can read both the same way.
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/dataset_file.h"
#include "worker/trainer.h"

ABSL_FLAG(std::string, out, "", "data: dataset file to write");
ABSL_FLAG(std::string, from, "", "data: dataset to take rows from");
ABSL_FLAG(int, train, 2000, "data: train rows");
ABSL_FLAG(int, val, 500, "data: val rows");
ABSL_FLAG(int, test, 500, "data: test rows");
ABSL_FLAG(int, classes, 6, "data: classes of the synthetic dataset");

ABSL_FLAG(std::string, dataset, "", "trial: dataset file");
ABSL_FLAG(std::string, family, "deep_cnn", "trial: model family");
ABSL_FLAG(std::string, size, "8", "trial: size string");
ABSL_FLAG(double, lr, 0.001, "trial: Adam learning rate");
ABSL_FLAG(double, dropout, 0.1, "trial: dropout");
ABSL_FLAG(uint64_t, seed, 0, "trial: seed");
ABSL_FLAG(int, threads, 1, "trial: torch intra-op threads");
ABSL_FLAG(int, batch_size, 32, "trial: batch size");
ABSL_FLAG(int, max_epochs, 50, "trial: epoch cap");
ABSL_FLAG(int, patience, 5, "trial: early-stopping patience");
ABSL_FLAG(double, l2, 0.01, "trial: L2 on the output kernel (<0 = off)");
ABSL_FLAG(int, skip, 0, "trial: leading bytes skipped");
ABSL_FLAG(int, input_bytes, 0, "trial: input bytes (0 = rest of the row)");

namespace pktgrid {
namespace {

// Noise bytes plus a class-specific band, so training has something to learn;
// the speed does not depend on the content.
Dataset Synthetic(int classes, int train, int val, int test) {
  Dataset d;
  for (int c = 0; c < classes; ++c)
    d.class_names.push_back(absl::StrCat("c", c));
  d.feature_bytes = 1480;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 200);
  const int rows = train + val + test;
  for (int i = 0; i < rows; ++i) {
    const int label = i % classes;
    for (uint32_t j = 0; j < d.feature_bytes; ++j) {
      const bool band = static_cast<int>(j / 37) % classes == label;
      d.features.push_back(static_cast<uint8_t>(byte(rng) + (band ? 55 : 0)));
    }
    d.labels.push_back(static_cast<uint16_t>(label));
    d.splits.push_back(i < train         ? Split::kTrain
                       : i < train + val ? Split::kVal
                                         : Split::kTest);
    d.flow_ids.push_back(static_cast<uint32_t>(i));
  }
  return d;
}

// The first `n[split]` rows of each split of `src`, in file order.
Dataset Subset(const Dataset& src, const int n[3]) {
  Dataset d;
  d.class_names = src.class_names;
  d.feature_bytes = src.feature_bytes;
  int taken[3] = {0, 0, 0};
  for (size_t i = 0; i < src.rows(); ++i) {
    const int s = static_cast<int>(src.splits[i]);
    if (taken[s] >= n[s]) continue;
    ++taken[s];
    d.features.insert(d.features.end(), src.row(i),
                      src.row(i) + src.feature_bytes);
    d.labels.push_back(src.labels[i]);
    d.splits.push_back(src.splits[i]);
    d.flow_ids.push_back(src.flow_ids[i]);
  }
  return d;
}

int MakeData() {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::cerr << "data: --out is required\n";
    return 2;
  }
  const int n[3] = {absl::GetFlag(FLAGS_train), absl::GetFlag(FLAGS_val),
                    absl::GetFlag(FLAGS_test)};
  Dataset d;
  if (const std::string from = absl::GetFlag(FLAGS_from); !from.empty()) {
    auto src = ReadDatasetFile(from);
    if (!src.ok()) {
      std::cerr << src.status() << "\n";
      return 1;
    }
    d = Subset(*src, n);
  } else {
    d = Synthetic(absl::GetFlag(FLAGS_classes), n[0], n[1], n[2]);
  }
  if (absl::Status s = WriteDatasetFile(out, d); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  std::cerr << "data: " << d.rows() << " rows -> " << out << "\n";
  return 0;
}

int RunTrial() {
  auto dataset = ReadDatasetFile(absl::GetFlag(FLAGS_dataset));
  if (!dataset.ok()) {
    std::cerr << dataset.status() << "\n";
    return 1;
  }
  TrialConfig config;
  config.set_trial_id("train_bench");
  config.set_family(absl::GetFlag(FLAGS_family));
  config.set_size(absl::GetFlag(FLAGS_size));
  config.set_learning_rate(absl::GetFlag(FLAGS_lr));
  config.set_dropout(absl::GetFlag(FLAGS_dropout));
  config.set_seed(absl::GetFlag(FLAGS_seed));
  config.set_skip_bytes(absl::GetFlag(FLAGS_skip));
  config.set_input_bytes(absl::GetFlag(FLAGS_input_bytes));
  TrainingOptions* t = config.mutable_training();
  t->set_batch_size(absl::GetFlag(FLAGS_batch_size));
  t->set_max_epochs(absl::GetFlag(FLAGS_max_epochs));
  t->set_patience(absl::GetFlag(FLAGS_patience));
  t->set_l2(absl::GetFlag(FLAGS_l2));
  TrainEnv env;
  env.threads = absl::GetFlag(FLAGS_threads);
  auto out = TrainTrial(config, *dataset, env, [](const EpochMetrics& m) {
    absl::PrintF(
        "{\"epoch\": %d, \"train_loss\": %.17g, \"train_accuracy\": %.17g, "
        "\"val_loss\": %.17g, \"val_accuracy\": %.17g, \"seconds\": %.17g}\n",
        m.epoch(), m.train_loss(), m.train_accuracy(), m.val_loss(),
        m.val_accuracy(), m.seconds());
    std::fflush(stdout);
    return absl::OkStatus();
  });
  if (!out.ok()) {
    std::cerr << out.status() << "\n";
    return 1;
  }
  const TrainResult& r = out->result;
  int64_t train_rows = 0;
  for (Split s : dataset->splits) train_rows += s == Split::kTrain;
  absl::PrintF(
      "{\"result\": {\"epochs\": %d, \"best_epoch\": %d, "
      "\"val_accuracy\": %.17g, \"test_accuracy\": %.17g, "
      "\"train_rows\": %d, \"seconds\": %.17g, \"params\": %d, "
      "\"device\": \"%s\", \"versions\": \"%s\"}}\n",
      r.epochs(), r.best_epoch(), r.val_accuracy(), r.test_accuracy(),
      train_rows, r.train_seconds(), r.param_count(), r.device(),
      r.library_versions());
  return 0;
}

}  // namespace
}  // namespace pktgrid

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "the C++ side of bench/training/compare.py.\n"
      "Usage: train_bench data [flags]   writes the synthetic datasets both "
      "sides train on\n"
      "       train_bench trial [flags]  trains one trial with TrainTrial and "
      "prints samples/s and accuracy");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string mode = args.size() > 1 ? args[1] : "";
  if (mode == "data") return pktgrid::MakeData();
  if (mode == "trial") return pktgrid::RunTrial();
  std::cerr << "usage: train_bench data|trial [flags] (see --help)\n";
  return 2;
}
