#ifndef PKTGRID_WORKER_SVM_H_
#define PKTGRID_WORKER_SVM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "worker/backend.h"
#include "worker/predictor.h"
#include "worker/trainer.h"

namespace pktgrid {

// svm: liblinear's L2-regularised squared-hinge primal solver, one-vs-rest,
// C = 1, eps = 1e-4, bias feature 1 -- what scikit-learn's
// LinearSVC(dual=False) runs. The payload is the weight matrix; prediction
// is argmax of W x + b like LinearSVC.predict.
absl::StatusOr<BackendOutput> TrainLinearSvm(const ModelHeader& header,
                                             const TrialData& data);
absl::StatusOr<std::unique_ptr<Predictor>> LoadLinearSvmPredictor(
    const ModelHeader& header, const std::string& payload);

// svm_libsvm: libsvm C-SVC (C = 1, eps = 1e-3) with a linear or rbf kernel
// (gamma = 1 / (features * variance), scikit-learn's "scale"). The payload is
// libsvm's own model file.
absl::StatusOr<BackendOutput> TrainLibsvm(const ModelHeader& header,
                                          const TrialData& data);
absl::StatusOr<std::unique_ptr<Predictor>> LoadLibsvmPredictor(
    const ModelHeader& header, const std::string& payload);

// SVMs train in one pass: one epoch-like record with train/val accuracy.
absl::StatusOr<BackendOutput> TrainSvmModel(const ModelHeader& header,
                                            const TrialData& data,
                                            const EpochCallback& on_epoch);

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_SVM_H_
