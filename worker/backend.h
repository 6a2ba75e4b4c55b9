#ifndef PKTGRID_WORKER_BACKEND_H_
#define PKTGRID_WORKER_BACKEND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "proto/pktgrid.pb.h"
#include "storage/dataset_file.h"

namespace pktgrid {

// What trainer.cc hands a training backend (torch or SVM): the dataset and
// the rows of each split it may use (already capped by max_train_rows).
struct TrialData {
  const Dataset* dataset = nullptr;
  std::vector<size_t> train, val, test;
};

// What a backend hands back: the weights (model_file.h embeds them) and the
// kept model's predictions on the test rows, for the metrics.
struct BackendOutput {
  std::string payload;
  int64_t param_count = 0;  // what the trained model really holds
  int epochs = 0;
  int best_epoch = 0;
  double val_accuracy = 0;
  std::vector<int32_t> test_predictions;  // aligned with TrialData::test
  std::string device = "cpu";
};

// TrainingOptions with proto3's zeros replaced by the paper's defaults.
struct TrainingSettings {
  int batch_size = 32;
  int max_epochs = 50;
  int patience = 5;
  double l2 = 0.01;  // a negative option value turns the penalty off
  bool l2_all_layers = false;
  int max_train_rows = 0;  // 0 = all
};

inline TrainingSettings ResolveTraining(const TrainingOptions& o) {
  TrainingSettings s;
  if (o.batch_size() > 0) s.batch_size = o.batch_size();
  if (o.max_epochs() > 0) s.max_epochs = o.max_epochs();
  if (o.patience() > 0) s.patience = o.patience();
  if (o.l2() > 0) s.l2 = o.l2();
  if (o.l2() < 0) s.l2 = 0;
  s.l2_all_layers = o.l2_all_layers();
  s.max_train_rows = o.max_train_rows() > 0 ? o.max_train_rows() : 0;
  return s;
}

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_BACKEND_H_
