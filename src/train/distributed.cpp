// The data-parallel coordination that does not depend on the network: check-ins, shards, metrics.
#include "typenet/train/distributed.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace typenet::detail {

namespace {

// FNV-1a, 64 bits (Fowler, Noll and Vo): a difference in a setting's text changes it.
std::int64_t fingerprint(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return std::int64_t(hash);
}

}  // namespace

std::string type_name(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

Coordinator::Coordinator(const Distributed& options)
    : communicator_(options.communicator),
      sync_batch_norm_(options.sync_batch_norm),
      bucket_bytes_(options.bucket_bytes),
      overlap_(options.overlap) {
  if (active()) status_.resize(size());
}

Coordinator::~Coordinator() {
  if (!active() || agreed_ || std::uncaught_exceptions() <= exceptions_) return;
  try {
    fail(
        "it left fit with an error outside a training step (its own message is on its "
        "standard error)");
  } catch (...) {  // a destructor must not throw; MPI's own errors end the job anyway
  }
}

std::optional<std::string> Coordinator::exchange(bool failed, const std::string& cause) {
  std::fill(status_.begin(), status_.end(), 0);
  status_[rank()] = failed ? 1 : 0;
  communicator_->allreduce_sum(std::span(status_));
  const auto first = std::find_if(status_.begin(), status_.end(), [](auto s) { return s != 0; });
  if (first == status_.end()) return std::nullopt;
  const auto sender = std::size_t(first - status_.begin());
  const auto failing = std::count_if(first, status_.end(), [](auto s) { return s != 0; });
  std::int64_t length = rank() == sender ? std::int64_t(cause.size()) : 0;
  communicator_->broadcast(std::span(&length, 1), sender);
  std::string text = rank() == sender ? cause : std::string(std::size_t(length), ' ');
  communicator_->broadcast(std::span(text.data(), text.size()), sender);
  agreed_ = "rank " + std::to_string(sender) + " of " + std::to_string(size()) +
            (failing > 1 ? " (and " + std::to_string(failing - 1) + " more)" : "") + ": " + text;
  return agreed_;
}

void Coordinator::agree(const std::string& who, std::span<const Setting> settings) {
  if (!active() || size() == 1) return;
  // Rank 0's count, then its hashes: a process with other settings (another program) still
  // takes part in every collective below, so none of them can hang.
  std::int64_t count = std::int64_t(settings.size());
  communicator_->broadcast(std::span(&count, 1), 0);
  std::vector<std::int64_t> reference(static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < reference.size() && k < settings.size(); ++k)
    reference[k] = fingerprint(settings[k].value);
  communicator_->broadcast(std::span(reference), 0);
  // Each process's first setting that differs from rank 0's (the count when none does), + 1.
  std::size_t first = std::min(reference.size(), settings.size());
  for (std::size_t k = 0; k < first; ++k)
    if (reference[k] != fingerprint(settings[k].value)) first = k;
  if (first == std::min(reference.size(), settings.size()) && reference.size() == settings.size())
    first = std::size_t(-1);  // agrees
  std::fill(status_.begin(), status_.end(), 0);
  status_[rank()] = first == std::size_t(-1) ? 0 : std::int64_t(first) + 1;
  communicator_->allreduce_sum(std::span(status_));
  std::int64_t field = 0;
  std::size_t differing = 0, sender = 0;
  for (std::size_t r = 0; r < status_.size(); ++r)
    if (status_[r] != 0 && (field == 0 || status_[r] < field)) field = status_[r];
  if (field == 0) return;
  for (std::size_t r = 0; r < status_.size(); ++r)
    if (status_[r] == field && differing++ == 0) sender = r;
  // The setting's name and value on `sender` and on rank 0, as text ("" where it has none).
  const auto k = std::size_t(field - 1);
  const auto text_from = [&](std::size_t from) {
    std::string text = k < settings.size() ? settings[k].name + '\t' + settings[k].value : "";
    std::int64_t length = rank() == from ? std::int64_t(text.size()) : 0;
    communicator_->broadcast(std::span(&length, 1), from);
    if (rank() != from) text.assign(std::size_t(length), ' ');
    communicator_->broadcast(std::span(text.data(), text.size()), from);
    return text;
  };
  const std::string theirs = text_from(sender), ours = text_from(0);
  const auto name = [](const std::string& t) { return t.substr(0, t.find('\t')); };
  const auto value = [](const std::string& t) {
    return t.empty() ? std::string("no such setting") : t.substr(t.find('\t') + 1);
  };
  agreed_ = who + ": the processes differ: rank " + std::to_string(sender) +
            (differing > 1 ? " (and " + std::to_string(differing - 1) + " more)" : "") + " has " +
            name(theirs.empty() ? ours : theirs) + " = " + value(theirs) + ", rank 0 has " +
            value(ours) +
            " (every process must be given the same data and options; docs/distributed.md)";
  throw std::invalid_argument(*agreed_);
}

void Coordinator::check_in() {
  if (!active()) return;
  if (agreed_) throw TrainingError(*agreed_);
  if (auto message = exchange(false, {})) throw TrainingError(*message);
}

std::string Coordinator::fail(const std::string& cause) {
  if (!active()) return cause;
  settle();
  if (agreed_) return *agreed_;
  return *exchange(true, cause);
}

std::size_t Coordinator::shard_size(std::size_t samples, bool drop_last) const {
  const std::size_t p = size();
  return drop_last ? samples / p : (samples + p - 1) / p;
}

std::span<const std::size_t> Coordinator::shard(std::span<const std::size_t> order,
                                                bool drop_last) {
  if (!active()) return order;
  const std::size_t n = order.size(), p = size();
  shard_.resize(shard_size(n, drop_last));
  for (std::size_t j = 0; j < shard_.size(); ++j) shard_[j] = order[(rank() + j * p) % n];
  return shard_;
}

void Coordinator::reduce_metrics(double& loss_sum, std::size_t& correct, std::size_t& seen) {
  if (!active()) return;
  std::array<double, 3> sums{loss_sum, double(correct), double(seen)};
  communicator_->allreduce_sum(std::span(sums));
  loss_sum = sums[0];
  correct = std::size_t(sums[1]);
  seen = std::size_t(sums[2]);
}

std::vector<std::string> Coordinator::gather(const std::string& text) {
  if (!active()) return {text};
  std::vector<std::string> all;
  for (std::size_t from = 0; from < size(); ++from) {
    std::int64_t length = rank() == from ? std::int64_t(text.size()) : 0;
    communicator_->broadcast(std::span(&length, 1), from);
    std::string received = rank() == from ? text : std::string(std::size_t(length), ' ');
    communicator_->broadcast(std::span(received.data(), received.size()), from);
    if (rank() == 0) all.push_back(std::move(received));
  }
  if (rank() != 0) all.push_back(text);
  return all;
}

struct BucketThread::State {
  Job job;
  void* context;
  std::mutex mutex;
  std::condition_variable changed;  // released, done or stop
  std::size_t released = 0, done = 0;
  bool stop = false;
  std::exception_ptr error;
  std::thread thread;

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return stop || done < released; });
      if (stop) return;
      const std::size_t bucket = done;
      const bool failed = error != nullptr;
      lock.unlock();
      std::exception_ptr caught;
      try {
        if (!failed) job(context, bucket);
      } catch (...) {
        caught = std::current_exception();
      }
      lock.lock();
      if (caught) error = caught;
      ++done;
      changed.notify_all();
    }
  }
};

BucketThread::BucketThread(Job job, void* context) : state_(std::make_unique<State>()) {
  state_->job = job;
  state_->context = context;
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

BucketThread::~BucketThread() {
  {
    const std::lock_guard lock(state_->mutex);
    state_->stop = true;
  }
  state_->changed.notify_all();
  state_->thread.join();
}

void BucketThread::release(std::size_t count) {
  {
    const std::lock_guard lock(state_->mutex);
    if (count <= state_->released) return;
    state_->released = count;
  }
  state_->changed.notify_all();
}

void BucketThread::wait() {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->done == state_->released; });
  if (auto error = std::exchange(state_->error, nullptr)) std::rethrow_exception(error);
}

void BucketThread::reset() {
  const std::lock_guard lock(state_->mutex);
  state_->released = state_->done = 0;
}

}  // namespace typenet::detail
