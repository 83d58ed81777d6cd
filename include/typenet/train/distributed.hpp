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
#include <memory>
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
  // Gradients are summed in buckets of this many bytes (PyTorch DDP's bucket_cap_mb is 25 MB),
  // filled in the order backward produces them (the last layer's first): the fewer, the less
  // latency; the smaller, the sooner a bucket is ready.
  std::size_t bucket_bytes = std::size_t{25} << 20;
  // Sum each bucket on a thread of its own as soon as backward has produced its gradients,
  // while backward goes on with the layers below (PyTorch DDP's overlap; memory: one more copy
  // of the gradients). The same sums in the same order: the weights are bitwise those without
  // it. Off by default: on the 2-core machine it was measured on, with no core to spare for the
  // summing thread, it made no difference beyond the noise (docs/distributed.md). Ignored with
  // sync_batch_norm (whose sums run inside backward), on one process, and when MPI does not
  // allow calls from a second thread.
  bool overlap = false;
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
  virtual ~Coordinator();
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
  // This process failed with `cause`: finishes the collectives the others are in (settle),
  // joins their check-in with the failure and returns the message every process throws.
  // Alone: `cause` unchanged.
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
  // A failure in the middle of collectives the others go through before their next check-in
  // (gradient sums started during backward): takes part in them first.
  virtual void settle() {}

  Communicator* communicator_;
  bool sync_batch_norm_;
  std::size_t bucket_bytes_;
  bool overlap_;

 private:
  std::optional<std::string> exchange(bool failed, const std::string& cause);

  std::vector<std::int64_t> status_;
  std::vector<std::size_t> shard_;
  std::optional<std::string> agreed_;
  int exceptions_ = std::uncaught_exceptions();
};

// The thread that sums gradient buckets while backward goes on (Distributed::overlap): runs
// job(context, 0), job(context, 1), ... in order, each once released, so that the sums run in
// the order every process runs them. The main thread calls the communicator only after wait():
// never two threads in MPI at once.
class BucketThread {
 public:
  using Job = void (*)(void* context, std::size_t bucket);
  BucketThread(Job job, void* context);
  ~BucketThread();  // after the running job: stops, joins
  BucketThread(const BucketThread&) = delete;
  BucketThread& operator=(const BucketThread&) = delete;
  // Buckets 0 .. count - 1 may be summed (the count only grows until reset()).
  void release(std::size_t count);
  // Until every released bucket is summed; rethrows a job's exception.
  void wait();
  // The next step's buckets: from 0 again. After wait().
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The data-parallel side of one fit: broadcasts rank 0's weights at the start, averages the
// gradients before each update (Model's step hooks), averages the running statistics at the
// end of each epoch. Inactive (every call a no-op) without a communicator.
//
// The gradients are summed in buckets laid out in the order backward produces them (the last
// parameter first, as PyTorch DDP does), by the ring allreduce, so a bucket's sum does not
// depend on when it starts: overlapped or not, the same bits.
template <class Net, class T>
class DataParallel : public Coordinator, StepHooks, BackwardListener {
 public:
  DataParallel(Model<Net, T>& model, const Distributed& options)
      : Coordinator(options), model_(model) {}
  ~DataParallel() override {
    if (!active()) return;
    model_.set_step_hooks(nullptr);
    settle();  // an exception left backward: the others still sum this step's buckets
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
    overlap_ =
        overlap_ && size() > 1 && !sync_batch_norm_ && communicator_->calls_from_any_thread();
    plan();
    if (overlap_) thread_ = std::make_unique<BucketThread>(&DataParallel::sum_bucket, this);
    model_.set_step_hooks(this, overlap_ ? this : nullptr);
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
  // SyncBatchNorm sums inside forward and backward, the overlap during backward: a process that
  // failed before them must be heard first.
  void before_forward() override {
    if (sync_batch_norm_) check_in();
  }
  void before_backward() override {
    if (sync_batch_norm_ || overlap_) check_in();
    in_backward_ = overlap_;
  }
  // A top-level layer's backward is done: the buckets whose gradients are now all final go to
  // the summing thread.
  void gradients_ready(std::size_t layer) override {
    std::size_t ready = released_;
    while (ready < buckets_.size() && buckets_[ready].lowest_layer >= layer) ++ready;
    if (ready == released_) return;
    released_ = ready;
    thread_->release(ready);
  }
  // Sums the gradients and divides by the process count. Overlapped: the buckets backward did
  // not release (a penalty's gradient is added after backward), then the wait, then the
  // check-in that tells whether every process's gradients are finite.
  void before_update() override {
    if (!overlap_) {
      check_in();
      for (const auto& bucket : buckets_) {
        sum(bucket, values_.data());
        take(bucket, values_.data());
      }
      return;
    }
    thread_->release(buckets_.size());
    thread_->wait();
    thread_->reset();
    released_ = 0;
    in_backward_ = false;
    check_in();
    for (const auto& bucket : buckets_) take(bucket, values_.data() + bucket.offset);
  }
  void settle() override {
    if (!in_backward_) return;
    in_backward_ = false;
    try {
      thread_->release(buckets_.size());
      thread_->wait();
    } catch (...) {  // the failure being reported is the one that matters
    }
    thread_->reset();
    released_ = 0;
  }

  struct Piece {
    T* gradient;
    std::size_t count;
  };
  struct Bucket {
    std::size_t first, end;    // its pieces
    std::size_t offset, size;  // its values within values_ (overlapped)
    std::size_t lowest_layer;  // final once this top-level layer's backward is done
  };
  // Buckets of bucket_bytes, the parameters taken last first (a large one spread over several);
  // values_ holds every bucket overlapped (all may be in flight), one at a time otherwise.
  void plan() {
    const auto& parameters = model_.parameters();
    std::size_t total = 0;
    for (auto* p : parameters) total += p->size();
    const std::size_t capacity =
        std::max<std::size_t>(1, std::min(total, bucket_bytes_ / sizeof(T)));
    pieces_.reserve(parameters.size() + total / capacity + 1);
    std::size_t filled = 0, offset = 0;
    for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
      T* gradient = (*it)->gradient.data();
      for (std::size_t left = (*it)->size(); left > 0;) {
        if (filled == 0)
          buckets_.push_back({pieces_.size(), pieces_.size(), offset, 0, (*it)->layer});
        const std::size_t count = std::min(left, capacity - filled);
        pieces_.push_back({gradient, count});
        auto& bucket = buckets_.back();
        bucket.end = pieces_.size();
        bucket.size += count;
        bucket.lowest_layer = std::min(bucket.lowest_layer, (*it)->layer);
        filled = (filled + count) % capacity;
        offset += count, gradient += count, left -= count;
      }
    }
    values_.resize(overlap_ ? total : capacity);
  }
  // Copies a bucket's gradients to `values` and sums them across the processes.
  void sum(const Bucket& bucket, T* values) {
    T* to = values;
    for (std::size_t k = bucket.first; k < bucket.end; ++k)
      to = std::copy(pieces_[k].gradient, pieces_[k].gradient + pieces_[k].count, to);
    communicator_->allreduce_sum(std::span<T>(values, bucket.size));
  }
  static void sum_bucket(void* self, std::size_t b) {
    auto& parallel = *static_cast<DataParallel*>(self);
    const auto& bucket = parallel.buckets_[b];
    parallel.sum(bucket, parallel.values_.data() + bucket.offset);
  }
  // The bucket's sums, divided by the process count, back into the gradients.
  void take(const Bucket& bucket, const T* values) {
    const T processes = T(size());
    for (std::size_t k = bucket.first; k < bucket.end; ++k)
      for (std::size_t i = 0; i < pieces_[k].count; ++i)
        pieces_[k].gradient[i] = *values++ / processes;
  }

  Model<Net, T>& model_;
  std::vector<Piece> pieces_;
  std::vector<Bucket> buckets_;
  std::vector<T> values_;
  std::unique_ptr<BucketThread> thread_;  // overlapped: sums the buckets
  std::size_t released_ = 0;              // buckets handed to thread_ this step
  bool in_backward_ = false;              // buckets of this step may be in flight
};

}  // namespace detail
}  // namespace typenet
