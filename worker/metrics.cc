#include "worker/metrics.h"

namespace pktgrid {

void ScoreClassification(const std::vector<std::string>& class_names,
                         const std::vector<int32_t>& truth,
                         const std::vector<int32_t>& predicted,
                         TrainResult* result) {
  const int64_t k = static_cast<int64_t>(class_names.size());
  std::vector<int64_t> confusion(k * k, 0);
  int64_t correct = 0;
  for (size_t i = 0; i < truth.size() && i < predicted.size(); ++i) {
    const int32_t t = truth[i], p = predicted[i];
    if (t == p) ++correct;
    if (t >= 0 && t < k && p >= 0 && p < k) ++confusion[t * k + p];
  }
  result->set_test_accuracy(
      truth.empty() ? 0.0 : static_cast<double>(correct) / truth.size());
  result->clear_classes();
  double f1_sum = 0;
  for (int64_t c = 0; c < k; ++c) {
    int64_t tp = confusion[c * k + c], support = 0, predicted_as = 0;
    for (int64_t j = 0; j < k; ++j) {
      support += confusion[c * k + j];
      predicted_as += confusion[j * k + c];
    }
    const double precision =
        predicted_as > 0 ? static_cast<double>(tp) / predicted_as : 0.0;
    const double recall = support > 0 ? static_cast<double>(tp) / support : 0.0;
    const double f1 = precision + recall > 0
                          ? 2 * precision * recall / (precision + recall)
                          : 0.0;
    ClassMetrics* m = result->add_classes();
    m->set_name(class_names[c]);
    m->set_precision(precision);
    m->set_recall(recall);
    m->set_f1(f1);
    m->set_support(support);
    f1_sum += f1;
  }
  result->set_macro_f1(k > 0 ? f1_sum / k : 0.0);
  result->clear_confusion();
  for (int64_t v : confusion) result->add_confusion(v);
}

}  // namespace pktgrid
