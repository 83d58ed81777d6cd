// Data-parallel training: fit on several processes, each with a shard of every epoch's samples,
// the gradients averaged across them before each update (docs/distributed.md).
//
//   tn::mpi::Environment mpi(argc, argv);                               // dist/mpi.hpp
//   tn::fit(model, opt, loss, train,
//           {.batch = 32, .distributed = {.communicator = &tn::mpi::world()}});
//
// With p processes of batch b, a step sees the samples one process of batch p * b sees, and
// (up to rounding) makes the same update: the loss is each process's batch mean, and the
// gradients are averaged.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <typeinfo>
#include <vector>

#include "typenet/kernel/communicator.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

struct Distributed {
  // The processes that train together; nullptr: this process alone. Every process calls fit
  // with the same dataset and options (only the communicator's rank differs).
  Communicator* communicator = nullptr;
  // BatchNorm statistics over the batches of all processes (PyTorch's SyncBatchNorm) instead of
  // each process's own (the default, as PyTorch DDP): costs two small sums per BatchNorm in
  // forward and one in backward.
  bool sync_batch_norm = false;
  // Gradients are summed in buckets of this many bytes (PyTorch DDP's bucket_cap_mb is 25 MB):
  // the fewer, the less latency; the smaller, the less memory for the bucket.
  std::size_t bucket_bytes = std::size_t{25} << 20;
};

namespace detail {

// One setting every process must give a distributed run alike: its name as the caller writes it
// ("epochs", "distributed.bucket_bytes") and its value as text (what a mismatch message shows).
struct Setting {
  std::string name, value;
};
// The type's name as written in C++ (demangled), for settings and messages.
std::string type_name(const std::type_info& type);

// What does not depend on the network, compiled once (src/train/distributed.cpp): the shards,
// the status exchange that stops every process when one fails, the reduced metrics.
//
// The processes meet at "check-ins": a sum of one flag per process. Every phase with
// collectives of its own (the start's broadcast, each step's gradient sums, SyncBatchNorm's
// sums, the end of an epoch) begins with one, and a process that fails anywhere joins the next
// check-in with its flag raised instead of the collective the others wait in. All then learn who
// failed; the lowest failing rank sends its message, and every process throws the same error,
// "rank r of p: <message>".
class Coordinator {
 public:
  explicit Coordinator(const Distributed& options);
  // A process that leaves fit with an exception nobody heard of (an argument check, an
  // augmentation that threw) tells the others at their next check-in, so they stop too.
  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  bool active() const { return communicator_ != nullptr; }

  // The first collective of a run: every process contributes its settings (the same names in
  // the same order) and learns whether all agree, so that a difference that would make the
  // processes' collectives differ (a hang, a crash, MPI_ERR_TRUNCATE) or their weights drift
  // apart stops every process at once. A difference throws std::invalid_argument, the same on
  // every process, naming the first setting that differs and the values of the lowest rank
  // that differs and of rank 0: "fit: the processes differ: rank 1 has epochs = 3, rank 0 has
  // 5 (...)". Each value travels as a 64-bit FNV-1a hash; only the differing one as text.
  void agree(const std::string& who, std::span<const Setting> settings);
  std::size_t rank() const { return active() ? communicator_->rank() : 0; }
  std::size_t size() const { return active() ? communicator_->size() : 1; }

  // Every process got here well; else throws TrainingError with the message all agree on.
  void check_in();
  // This process failed with `cause`: joins the others' check-in with the failure and returns
  // the message every process throws. Alone: `cause` unchanged.
  std::string fail(const std::string& cause);

  // PyTorch's DistributedSampler: every process takes order[rank], order[rank + p], ... of the
  // epoch's order (the same on all: the same seed); without drop_last the order is padded by
  // repeating its start up to a multiple of p, with drop_last its end is cut to one.
  std::size_t shard_size(std::size_t samples, bool drop_last) const;
  std::span<const std::size_t> shard(std::span<const std::size_t> order, bool drop_last);

  // The epoch's loss sum, correct predictions and samples summed over the processes.
  void reduce_metrics(double& loss_sum, std::size_t& correct, std::size_t& seen);

  // Every process's `text`, in rank order, on rank 0; the others get their own alone. For small
  // things (a checkpoint's per-process streams): a broadcast of the length and one of the
  // characters from each process in turn, as a Communicator has no gather.
  std::vector<std::string> gather(const std::string& text);

 protected:
  Communicator* communicator_;
  bool sync_batch_norm_;
  std::size_t bucket_bytes_;

 private:
  std::optional<std::string> exchange(bool failed, const std::string& cause);

  std::vector<std::int64_t> status_;
  std::vector<std::size_t> shard_;
  std::optional<std::string> agreed_;
  int exceptions_ = std::uncaught_exceptions();
};

// The data-parallel side of one fit: broadcasts rank 0's weights at the start, averages the
// gradients before each update (Model's step hooks), averages the running statistics at the
// end of each epoch. Inactive (every call a no-op) without a communicator.
template <class Net, class T>
class DataParallel : public Coordinator, StepHooks {
 public:
  DataParallel(Model<Net, T>& model, const Distributed& options)
      : Coordinator(options), model_(model) {}
  ~DataParallel() {
    if (active()) model_.set_step_hooks(nullptr);
  }
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  // Every process starts from rank 0's parameters and running statistics.
  void start() {
    if (!active()) return;
    check_in();
    for (auto* p : model_.all_parameters()) communicator_->broadcast(p->value.span(), 0);
    for (auto* b : model_.network().state_buffers()) communicator_->broadcast(b->span(), 0);
    if (sync_batch_norm_) model_.network().synchronize_batch_norm(communicator_);
    // Each process's Dropout masks its own samples with masks of its own.
    if (size() > 1) model_.network().seed(stream_seed(0x64697374ULL, rank()));
    std::size_t total = 0;
    for (auto* p : model_.parameters()) total += p->size();
    bucket_.resize(std::max<std::size_t>(1, std::min(total, bucket_bytes_ / sizeof(T))));
    pieces_.reserve(model_.parameters().size() + total / bucket_.size() + 1);
    model_.set_step_hooks(this);
  }

  // Every process finished the epoch well: sums its metrics, and (per-process BatchNorm) sets
  // the running statistics to their mean over the processes, so that validation, early stopping
  // and the weights kept agree everywhere. The running mean is linear in the batch means, so it
  // becomes the one of the combined batches; the running variance leaves out the spread of the
  // processes' means.
  void end_epoch(double& loss_sum, std::size_t& correct, std::size_t& seen) {
    if (!active()) return;
    check_in();
    reduce_metrics(loss_sum, correct, seen);
    if (sync_batch_norm_) return;  // already the same everywhere
    for (auto* b : model_.network().state_buffers()) {
      communicator_->allreduce_sum(b->span());
      for (auto& v : b->span()) v /= T(size());
    }
  }
  // No process leaves fit before the others: one that failed after the last epoch stops all.
  void finish() {
    if (active()) check_in();
  }

 private:
  // SyncBatchNorm sums inside forward and backward: a process that failed before them must be
  // heard first.
  void before_forward() override {
    if (sync_batch_norm_) check_in();
  }
  void before_backward() override {
    if (sync_batch_norm_) check_in();
  }
  // Sums the gradients in buckets, in the parameters' order, and divides by the process count.
  // Not overlapped with backward (docs/distributed.md says why).
  void before_update() override {
    check_in();
    std::size_t filled = 0;
    for (auto* p : model_.parameters()) {
      T* gradient = p->gradient.data();
      for (std::size_t left = p->size(); left > 0;) {
        const std::size_t take = std::min(left, bucket_.size() - filled);
        std::copy(gradient, gradient + take, bucket_.data() + filled);
        pieces_.push_back({gradient, take});
        filled += take, gradient += take, left -= take;
        if (filled == bucket_.size()) flush(filled);
      }
    }
    if (filled > 0) flush(filled);
  }
  void flush(std::size_t& filled) {
    communicator_->allreduce_sum(std::span<T>(bucket_.data(), filled));
    const T processes = T(size());
    const T* from = bucket_.data();
    for (const auto& piece : pieces_)
      for (std::size_t i = 0; i < piece.count; ++i) piece.to[i] = *from++ / processes;
    pieces_.clear();
    filled = 0;
  }

  struct Piece {
    T* to;
    std::size_t count;
  };
  Model<Net, T>& model_;
  std::vector<T> bucket_;
  std::vector<Piece> pieces_;
};

}  // namespace detail
}  // namespace typenet
