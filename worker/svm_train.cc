// Shared SVM training flow: fit, then score through the loaded predictor.
#include <chrono>

#include "worker/svm.h"

namespace pktgrid {

absl::StatusOr<BackendOutput> TrainSvmModel(const ModelHeader& header,
                                            const TrialData& data,
                                            const EpochCallback& on_epoch) {
  const auto start = std::chrono::steady_clock::now();
  const bool linear = header.arch.family == Family::kSvm;
  auto out = linear ? TrainLinearSvm(header, data) : TrainLibsvm(header, data);
  if (!out.ok()) return out.status();
  // Predict through the same code a loaded model file uses.
  auto predictor = linear ? LoadLinearSvmPredictor(header, out->payload)
                          : LoadLibsvmPredictor(header, out->payload);
  if (!predictor.ok()) return predictor.status();
  auto accuracy =
      [&](const std::vector<size_t>& rows) -> absl::StatusOr<double> {
    auto predicted = PredictRows(**predictor, *data.dataset, rows);
    if (!predicted.ok()) return predicted.status();
    int64_t correct = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      correct += (*predicted)[i] == data.dataset->labels[rows[i]];
    }
    return rows.empty() ? 0.0 : static_cast<double>(correct) / rows.size();
  };
  auto train_acc = accuracy(data.train);
  auto val_acc = accuracy(data.val);
  if (!train_acc.ok()) return train_acc.status();
  if (!val_acc.ok()) return val_acc.status();
  auto test = PredictRows(**predictor, *data.dataset, data.test);
  if (!test.ok()) return test.status();
  out->test_predictions = *std::move(test);
  out->epochs = 1;
  out->best_epoch = 1;
  out->val_accuracy = *val_acc;

  EpochMetrics metrics;
  metrics.set_epoch(1);
  metrics.set_train_accuracy(*train_acc);
  metrics.set_val_accuracy(*val_acc);
  metrics.set_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
  if (on_epoch) {
    if (absl::Status s = on_epoch(metrics); !s.ok()) return s;
  }
  return out;
}

}  // namespace pktgrid
