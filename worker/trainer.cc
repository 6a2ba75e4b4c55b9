#include "worker/trainer.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "storage/sha256.h"
#include "worker/architecture.h"
#include "worker/backend.h"
#include "worker/metrics.h"
#include "worker/model_file.h"
#include "worker/svm.h"
#include "worker/torch_runtime.h"
#include "worker/torch_trainer.h"

namespace pktgrid {
namespace {

// A seeded sample of at most `cap` rows, kept in file order (0 = all).
std::vector<size_t> CapRows(std::vector<size_t> rows, int cap,
                            std::mt19937_64& rng) {
  if (cap <= 0 || rows.size() <= static_cast<size_t>(cap)) return rows;
  std::shuffle(rows.begin(), rows.end(), rng);
  rows.resize(cap);
  std::sort(rows.begin(), rows.end());
  return rows;
}

absl::StatusOr<ModelHeader> MakeHeader(const TrialConfig& config,
                                       const Dataset& dataset) {
  ModelHeader header;
  header.skip_bytes = config.skip_bytes();
  // No input size means "the whole row after the skipped bytes".
  const int input_bytes =
      config.input_bytes() > 0
          ? config.input_bytes()
          : static_cast<int>(dataset.feature_bytes) - config.skip_bytes();
  if (absl::Status s = CheckInputFits(dataset, header.skip_bytes, input_bytes);
      !s.ok()) {
    return s;
  }
  auto arch = ResolveArchitecture(config.family(), config.size(),
                                  config.param_budget(), input_bytes,
                                  static_cast<int>(dataset.class_names.size()));
  if (!arch.ok()) return arch.status();
  header.arch = *std::move(arch);
  if (header.arch.family == Family::kSvmLibsvm) {
    header.kernel = config.kernel().empty() ? "linear" : config.kernel();
  }
  header.class_names = dataset.class_names;
  return header;
}

}  // namespace

absl::StatusOr<TrainOutput> TrainTrial(const TrialConfig& config,
                                       const Dataset& dataset,
                                       const TrainEnv& env,
                                       const EpochCallback& on_epoch) {
  const auto start = std::chrono::steady_clock::now();
  if (absl::Status s = dataset.Validate(); !s.ok()) return s;
  auto header = MakeHeader(config, dataset);
  if (!header.ok()) return header.status();

  const TrainingSettings settings = ResolveTraining(config.training());
  std::mt19937_64 rng(config.seed());
  TrialData data;
  data.dataset = &dataset;
  data.train =
      CapRows(dataset.RowsOf(Split::kTrain), settings.max_train_rows, rng);
  data.val = CapRows(dataset.RowsOf(Split::kVal), settings.max_train_rows, rng);
  data.test =
      CapRows(dataset.RowsOf(Split::kTest), settings.max_train_rows, rng);

  auto trained = IsSvm(header->arch.family)
                     ? TrainSvmModel(*header, data, on_epoch)
                     : TrainTorchModel(*header, config, data, env, on_epoch);
  if (!trained.ok()) return trained.status();
  if (header->arch.family == Family::kSvmLibsvm) {
    header->arch.param_count = trained->param_count;
  } else if (!IsSvm(header->arch.family) &&
             trained->param_count != header->arch.param_count) {
    return absl::InternalError(
        absl::StrCat("built model has ", trained->param_count,
                     " parameters, expected ", header->arch.param_count));
  }

  TrainOutput output;
  output.model_artifact = EncodeModelFile({*header, trained->payload});
  TrainResult& r = output.result;
  std::vector<int32_t> truth;
  for (size_t row : data.test) truth.push_back(dataset.labels[row]);
  ScoreClassification(dataset.class_names, truth, trained->test_predictions,
                      &r);
  r.set_resolved_size(header->arch.SizeString());
  r.set_param_count(header->arch.param_count);
  r.set_val_accuracy(trained->val_accuracy);
  r.set_epochs(trained->epochs);
  r.set_best_epoch(trained->best_epoch);
  r.set_model_sha256(Sha256Hex(output.model_artifact));
  r.set_device(trained->device);
  r.set_library_versions(LibraryVersions());
  r.set_train_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
  return output;
}

}  // namespace pktgrid
