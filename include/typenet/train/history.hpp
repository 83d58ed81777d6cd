// What fit records per epoch, and the run's history: returned by fit, written to CSV, and
// carried in checkpoints (train/checkpoint.hpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace typenet {

struct EpochRecord {
  std::size_t epoch = 0;  // from 1
  double train_loss = 0, train_accuracy = 0;
  double validation_loss = 0, validation_accuracy = 0;  // NaN without a validation set
  double learning_rate = 0;
  double seconds = 0;
  double images_per_second = 0;
};

struct History {
  std::vector<EpochRecord> epochs;
  std::size_t best_epoch = 0;  // by validation loss (or the last epoch without validation)
  bool stopped_early = false;
  // epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,
  // images_per_second — written with io::write_atomically: a crash never leaves half a file.
  // Throws std::runtime_error naming the file when it cannot be written; the old file, if any,
  // is then left as it was.
  void write_csv(const std::filesystem::path& path) const;
};

}  // namespace typenet
