#ifndef PKTGRID_WORKER_EARLY_STOPPING_H_
#define PKTGRID_WORKER_EARLY_STOPPING_H_

namespace pktgrid {

// Keras' EarlyStopping(monitor="val_accuracy", patience) together with
// ModelCheckpoint(save_best_only=True): an epoch is the new best only if it
// is strictly better than every earlier one, and training stops once
// `patience` epochs in a row failed to improve. The best epoch's weights are
// the model kept.
class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}

  // Records epoch `epoch` (1-based); returns true when it is the new best,
  // i.e. when the caller should snapshot the weights.
  bool Update(int epoch, double val_accuracy) {
    if (best_epoch_ == 0 || val_accuracy > best_value_) {
      best_epoch_ = epoch;
      best_value_ = val_accuracy;
      wait_ = 0;
      return true;
    }
    ++wait_;
    return false;
  }

  bool ShouldStop() const { return best_epoch_ > 0 && wait_ >= patience_; }
  int best_epoch() const { return best_epoch_; }
  double best_value() const { return best_value_; }

 private:
  int patience_;
  int best_epoch_ = 0;  // 0 = no epoch seen yet
  double best_value_ = 0;
  int wait_ = 0;
};

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_EARLY_STOPPING_H_
