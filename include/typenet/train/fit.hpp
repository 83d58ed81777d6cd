// fit and evaluate: training on a classification dataset, with the habits the lectures teach.
//
//   auto history = tn::fit(model, opt, tn::loss::SoftmaxCrossEntropy{}, train,
//                          {.epochs = 10, .batch = 64, .validation = val,
//                           .schedule = tn::schedule::Cosine{}, .early_stopping = {.patience =
//                           3}});
//   std::cout << tn::evaluate(model, test);
//
// Progress: on a terminal one self-updating line per epoch; otherwise (a pipe, CI) a few plain
// lines per epoch.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/reg/reg.hpp"
#include "typenet/schedule/schedule.hpp"
#include "typenet/train/checkpoint.hpp"
#include "typenet/train/distributed.hpp"
#include "typenet/train/distributed_checkpoint.hpp"
#include "typenet/train/history.hpp"
#include "typenet/train/model.hpp"
#include "typenet/train/report.hpp"

namespace typenet {

struct EarlyStopping {
  std::size_t patience = 0;  // epochs without a better validation loss before stopping; 0: off
  double min_delta = 0;      // improvement smaller than this does not count
  bool restore_best = true;  // end with the weights of the best epoch
};

// fit could not go on. what() names the epoch, the step within it and the cause (a non-finite
// loss or gradient, a learning rate the schedule made NaN, a layer's error such as BatchNorm on
// a batch of 1). The weights and the optimiser's state are those before the failing step;
// `history` holds the epochs that finished.
class FitError : public TrainingError {
 public:
  FitError(const std::string& cause, History finished, std::size_t failed_epoch,
           std::size_t failed_step, std::size_t steps_per_epoch)
      : TrainingError("fit: epoch " + std::to_string(failed_epoch) + ", step " +
                      std::to_string(failed_step) + " of " + std::to_string(steps_per_epoch) +
                      ": " + cause),
        history(std::move(finished)),
        epoch(failed_epoch),
        step(failed_step) {}
  History history;
  std::size_t epoch, step;  // from 1
};

struct FitOptions {
  std::size_t epochs = 10;
  std::size_t batch = 64;
  bool shuffle = true;
  // Leave out the last batch when it is partial (PyTorch's DataLoader drop_last): BatchNorm
  // cannot train on a last batch of 1.
  bool drop_last = false;
  std::optional<std::reference_wrapper<const data::Dataset>> validation{};
  schedule::Schedule schedule{};  // the learning rate per epoch, times the optimiser's
  std::optional<reg::ElasticNet> regularization{};
  // Gradient clipping before each update: {.max_norm = 1} is PyTorch's clip_grad_norm_(…, 1).
  GradientClipping clip{};
  EarlyStopping early_stopping{};
  Augmentation augment{};
  std::uint64_t seed = 1;  // shuffling and augmentation
  // Where and how often fit saves the run, and a checkpoint to continue from
  // (train/checkpoint.hpp). A resume needs a model and an optimiser of the same types and
  // hyper-parameters (their state is replaced), the same training set and global batch; the epochs
  // already done are skipped, and the returned history holds them too. A refused or unreadable
  // checkpoint throws io::WeightsError naming the file, before anything changes; so does one
  // that holds more finished epochs than `epochs` (one that holds exactly `epochs`, or whose run
  // stopped early, leaves nothing to train: fit says so in a line and returns its history). A
  // checkpoint path that cannot be written is std::runtime_error before the first epoch. With
  // .distributed, rank 0 writes the checkpoint and every process reads it; another number of
  // processes may resume it with the same global batch (docs/distributed.md).
  CheckpointOptions checkpoint{};
  std::filesystem::path resume_from{};
  std::ostream* progress = nullptr;  // where progress goes; nullptr: std::cout
  bool quiet = false;
  std::function<void(const EpochRecord&)> on_epoch{};  // called after each epoch
  // Data-parallel training on several processes (train/distributed.hpp): each takes a shard of
  // every epoch (drop_last also cuts the epoch to a multiple of the process count), `batch` is
  // per process, metrics are over all; only rank 0 shows progress.
  Distributed distributed{};
  // A training report folder (train/report.hpp), written after the last epoch (by rank 0):
  // {.folder = "run", .data = test, .class_names = names}. The folder is created and checked
  // before training (std::runtime_error naming it).
  ReportOptions report{};
};

namespace detail {

// Progress display, implemented in src/train/fit.cpp.
class Progress {
 public:
  Progress(std::ostream* out, bool quiet, std::size_t epochs, std::size_t steps);
  void step(std::size_t epoch, std::size_t step, double loss, double accuracy, std::size_t images,
            double seconds);
  void epoch_end(const EpochRecord& record);
  void notice(const std::string& line);  // a line of its own, unless quiet or empty

 private:
  std::ostream* out_;
  bool quiet_, terminal_;
  std::size_t epochs_, steps_;
  double last_draw_ = -1;
  std::size_t last_quarter_ = 0;
};

// Rank 0's files, before the first epoch rather than after it: the report folder is made and
// checked (prepare_report_folder), the checkpoint's folder made and the file checked
// (check_checkpoint_path); empty paths are skipped. Among several processes every one of them
// takes part (one check-in), and a failure on rank 0 is std::runtime_error on every process,
// "rank 0 of p: <message>"; alone, rank 0's message. Implemented in src/train/fit.cpp.
void prepare_outputs(Coordinator& parallel, const std::filesystem::path& checkpoint,
                     const std::filesystem::path& report);

// What every process must give a data-parallel fit alike (Coordinator::agree): what sets the
// number and the sizes of the collectives (epochs, batch, the data's sizes, the network, the
// bucket size, SyncBatchNorm, early stopping and validation, checkpoints) and what would make
// the processes' weights drift apart (the scalar type, the optimiser, the loss, the seed).
// Not compared: the schedule (type-erased), the augmentation's code, the report (rank 0's alone).
template <class Net, class T, class Optimizer, class Loss>
std::vector<Setting> fit_settings(Optimizer& optimizer, const Loss&, const data::Dataset& train,
                                  const FitOptions& o) {
  const auto text = [](auto v) {
    if constexpr (std::is_same_v<decltype(v), bool>)
      return std::string(v ? "true" : "false");
    else if constexpr (std::is_floating_point_v<decltype(v)>) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", double(v));
      return std::string(buffer);
    } else
      return std::to_string(v);
  };
  const auto shape = [&](const data::Dataset& d) {
    return text(d.channels) + "x" + text(d.height) + "x" + text(d.width) + ", " + text(d.classes) +
           " classes";
  };
  std::string optimizer_text = type_name(typeid(Optimizer));
  if constexpr (checkpointable<Optimizer, T>)
    optimizer_text = optimizer_description(optimizer.type_name(), optimizer.hyper_parameters());
  const auto* validation = o.validation ? &o.validation->get() : nullptr;
  return {
      {"the scalar type", type_name(typeid(T))},
      {"the network", type_name(typeid(Net))},
      {"the optimizer", optimizer_text},
      {"the loss", type_name(typeid(Loss))},
      {"training samples", text(train.size())},
      {"the training samples' shape", shape(train)},
      {"validation samples", validation ? text(validation->size()) : "none"},
      {"the validation samples' shape", validation ? shape(*validation) : "none"},
      {"epochs", text(o.epochs)},
      {"batch", text(o.batch)},
      {"shuffle", text(o.shuffle)},
      {"drop_last", text(o.drop_last)},
      {"seed", text(o.seed)},
      {"regularization",
       o.regularization ? text(o.regularization->l1) + ", " + text(o.regularization->l2) : "none"},
      {"clip.max_norm", text(o.clip.max_norm)},
      {"clip.max_value", text(o.clip.max_value)},
      {"early_stopping.patience", text(o.early_stopping.patience)},
      {"early_stopping.min_delta", text(o.early_stopping.min_delta)},
      {"early_stopping.restore_best", text(o.early_stopping.restore_best)},
      {"checkpoint.path", o.checkpoint.path.empty() ? "none" : "given"},
      {"checkpoint.every_epochs", text(o.checkpoint.every_epochs)},
      {"resume_from", o.resume_from.empty() ? "none" : "given"},
      {"augment", o.augment ? "given" : "none"},
      {"distributed.sync_batch_norm", text(o.distributed.sync_batch_norm)},
      {"distributed.bucket_bytes", text(o.distributed.bucket_bytes)},
      {"distributed.overlap", text(o.distributed.overlap)}};
}

}  // namespace detail

// A network that does not compile has said why, once; fit adds nothing to it.
template <class Net, class T, class... Arguments>
requires(!Net::ok) History fit(Model<Net, T>&, const Arguments&...) { return {}; }

// Class labels for an output that is not one score vector per sample (a per-step output, an
// image): the loss rule says so, once.
template <class Net, class T, class Optimizer, class Loss>
requires(Net::ok && !detail::class_labels_fit<Loss, Net>::value) History
    fit(Model<Net, T>&, Optimizer&, Loss, const data::Dataset&, const FitOptions& = {}) {
  static_assert(detail::class_labels_fit<Loss, Net>::report::reported);
  return {};
}

template <class Net, class T, class Optimizer, class Loss>
requires(Net::ok&& detail::class_labels_fit<Loss, Net>::value) History
    fit(Model<Net, T>& model, Optimizer& optimizer, Loss loss, const data::Dataset& train,
        const FitOptions& options = {}) {
  detail::DataParallel<Net, T> parallel(model, options.distributed);  // first: see its destructor
  // Before anything else that could differ between the processes (docs/distributed.md).
  if (parallel.active())
    parallel.agree("fit", detail::fit_settings<Net, T>(optimizer, loss, train, options));
  using In = typename Net::input_type;
  constexpr std::size_t outputs = Net::output_type::size;
  detail::check_input(train, In::dims, outputs, "fit (training set)");
  if (options.validation)
    detail::check_input(options.validation->get(), In::dims, outputs, "fit (validation set)");
  if (options.batch == 0 || options.batch > model.capacity())
    throw std::invalid_argument("fit: batch " + std::to_string(options.batch) +
                                " must be between 1 and the model's capacity " +
                                std::to_string(model.capacity()));
  const std::size_t samples = parallel.shard_size(train.size(), options.drop_last);  // per process
  if (options.drop_last && samples < options.batch)
    throw std::invalid_argument("fit: drop_last with batch " + std::to_string(options.batch) +
                                " leaves no step for a training set of " + std::to_string(samples) +
                                " samples");

  if (!options.checkpoint.path.empty() || !options.resume_from.empty()) {
    if constexpr (detail::checkpointable<Optimizer, T>) {
      if (options.checkpoint.every_epochs == 0)
        throw std::invalid_argument("fit: checkpoint.every_epochs is 0; it must be 1 or more");
    } else {
      throw std::invalid_argument(
          "fit: .checkpoint and .resume_from need an optimiser that names its type, options and "
          "state (type_name, hyper_parameters, state_names, parameter_state: typenet's SGD, "
          "AdaGrad, RMSProp, Adam and AdamW do)");
    }
  }
  detail::prepare_outputs(parallel, options.checkpoint.path, options.report.folder);
  const std::size_t steps =
      options.drop_last ? samples / options.batch : (samples + options.batch - 1) / options.batch;
  Tensor<T, In> x(options.batch);
  std::vector<int> labels;
  labels.reserve(options.batch);
  std::vector<float> scratch(std::is_same_v<T, float> ? 0 : train.sample_size());
  detail::FitState state;  // what a checkpoint saves besides the model and the optimiser
  state.order.resize(train.size());
  std::iota(state.order.begin(), state.order.end(), std::size_t{0});
  state.rng.seed(options.seed);
  std::optional<typename Model<Net, T>::Snapshot> best;
  detail::RunIdentity run;
  std::optional<detail::Resumed> resumed;
  if constexpr (detail::checkpointable<Optimizer, T>)
    if (!options.checkpoint.path.empty() || !options.resume_from.empty()) {
      run = detail::run_identity(model, optimizer, options.batch, train.size(), parallel.size());
      run.epochs = options.epochs;
      if (!options.resume_from.empty())
        resumed = detail::resume_everywhere(parallel, options.resume_from, model, optimizer, run,
                                            state, best);
    }
  auto& order = state.order;
  auto& rng = state.rng;
  auto& history = state.history;
  auto& global_step = state.global_step;
  // Processes shuffle alike (rng) but augment each its own way; alone, augmentation draws from
  // the shared stream, unless the run continues a checkpoint in which it had its own.
  std::mt19937_64 augment_rng(detail::stream_seed(options.seed, parallel.rank()));
  bool own_augment = parallel.size() > 1;
  std::optional<reg::ElasticNet> penalty = options.regularization;
  detail::Progress progress(options.progress, options.quiet || parallel.rank() != 0, options.epochs,
                            steps);
  parallel.start();
  if (resumed) {
    own_augment = detail::restore_streams(model, *resumed, augment_rng) || own_augment;
    progress.notice(detail::resume_notice(resumed->processes, parallel.size()));
    progress.notice(detail::nothing_left_notice(options.resume_from, state, options.epochs));
  }
  std::mt19937_64& augmenting = own_augment ? augment_rng : rng;

  for (std::size_t epoch = state.epoch + 1; epoch <= options.epochs && !history.stopped_early;
       ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    if (options.shuffle) std::shuffle(order.begin(), order.end(), rng);
    EpochRecord record;
    record.epoch = epoch;
    record.learning_rate =
        options.schedule.rate(optimizer.learning_rate(), epoch - 1, options.epochs);
    if (!std::isfinite(record.learning_rate) || record.learning_rate < 0)
      throw FitError("the schedule gives the learning rate " +
                         std::to_string(record.learning_rate) + " (it must be finite and >= 0)",
                     std::move(history), epoch, 1, steps);
    double loss_sum = 0;
    std::size_t correct = 0, seen = 0;
    const auto shard = parallel.shard(order, options.drop_last);
    for (std::size_t s = 0; s < steps; ++s, ++global_step) {
      const auto chunk =
          shard.subspan(s * options.batch, std::min(options.batch, samples - s * options.batch));
      detail::gather(train, chunk, x, labels, &options.augment, &augmenting, std::span(scratch));
      double value;
      try {
        value =
            model.train_step(x, std::span<const int>(labels), loss, optimizer, record.learning_rate,
                             global_step, penalty ? &*penalty : nullptr, options.clip);
      } catch (const TrainingError& error) {
        throw FitError(parallel.fail(error.cause()), std::move(history), epoch, s + 1, steps);
      } catch (const std::logic_error& error) {  // a layer's or the optimiser's argument check
        throw FitError(parallel.fail(error.what()), std::move(history), epoch, s + 1, steps);
      }
      const auto& y = model.network().template output<Net::depth - 1>();
      for (std::size_t n = 0; n < chunk.size(); ++n)
        correct += detail::argmax(y, n) == std::size_t(labels[n]);
      loss_sum += value * double(chunk.size());
      seen += chunk.size();
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // This process's running loss and accuracy; images over all processes.
      progress.step(epoch, s + 1, loss_sum / double(seen), double(correct) / double(seen),
                    seen * parallel.size(), elapsed);
    }
    parallel.end_epoch(loss_sum, correct, seen);  // over all processes
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    record.train_loss = loss_sum / double(seen);
    record.train_accuracy = double(correct) / double(seen);
    record.images_per_second = double(seen) / record.seconds;
    record.validation_loss = record.validation_accuracy = std::nan("");
    double monitored = record.train_loss;
    if (options.validation) {
      Evaluation v;
      try {
        v = evaluate(model, options.validation->get(), loss);
      } catch (const TrainingError& error) {
        throw FitError(parallel.fail(std::string("validation: ") + error.what()),
                       std::move(history), epoch, steps, steps);
      }
      record.validation_loss = v.loss;
      record.validation_accuracy = v.accuracy;
      monitored = v.loss;
    }
    history.epochs.push_back(record);
    progress.epoch_end(record);

    if (monitored < state.best_loss - options.early_stopping.min_delta) {
      state.best_loss = monitored;
      history.best_epoch = epoch;
      state.waited = 0;
      if (options.early_stopping.patience > 0 && options.early_stopping.restore_best)
        best = model.snapshot();
    } else if (options.early_stopping.patience > 0 &&
               ++state.waited >= options.early_stopping.patience) {
      history.stopped_early = true;
    }
    state.epoch = epoch;
    // Written before on_epoch runs: a callback that ends the process finds it on disk.
    // With several processes rank 0 writes it, and every process waits until it is complete.
    if constexpr (detail::checkpointable<Optimizer, T>)
      if (!options.checkpoint.path.empty() && (epoch % options.checkpoint.every_epochs == 0 ||
                                               epoch == options.epochs || history.stopped_early))
        if (auto failure = detail::save_everywhere(parallel, options.checkpoint.path, model,
                                                   optimizer, state, run, best ? &*best : nullptr,
                                                   own_augment ? &augment_rng : nullptr);
            !failure.empty())
          throw FitError(failure, std::move(history), epoch, steps, steps);
    if (options.on_epoch) options.on_epoch(record);
  }
  if (best) model.restore(*best);
  parallel.finish();
  if (!options.report.folder.empty() && parallel.rank() == 0) {
    ReportOptions report = options.report;
    if (!report.training) report.training = std::cref(train);
    if (!report.augment) report.augment = options.augment;
    if (report.data_name.empty() && !report.data)
      report.data_name = options.validation ? "the validation set" : "the training set";
    const data::Dataset& shown = report.data          ? report.data->get()
                                 : options.validation ? options.validation->get()
                                                      : train;
    write_report(report.folder, model, history, shown, report, loss);
  }
  return history;
}

}  // namespace typenet
