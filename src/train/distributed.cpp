// The data-parallel coordination that does not depend on the network: check-ins, shards, metrics.
#include "typenet/train/distributed.hpp"

#include <algorithm>
#include <array>

namespace typenet::detail {

Coordinator::Coordinator(const Distributed& options)
    : communicator_(options.communicator),
      sync_batch_norm_(options.sync_batch_norm),
      bucket_bytes_(options.bucket_bytes) {
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

void Coordinator::check_in() {
  if (!active()) return;
  if (agreed_) throw TrainingError(*agreed_);
  if (auto message = exchange(false, {})) throw TrainingError(*message);
}

std::string Coordinator::fail(const std::string& cause) {
  if (!active()) return cause;
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

}  // namespace typenet::detail
