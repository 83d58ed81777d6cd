// BatchNorm: batch statistics in training, running statistics at evaluation; shape rule in
// spec/batch_norm.hpp. layers/fold_batchnorm.hpp folds an evaluation-mode BatchNorm into the
// weight layer before it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenet/expr/expr.hpp"
#include "typenet/kernel/communicator.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/batch_norm.hpp"

namespace typenet {

namespace detail {
// Batch normalisation (Ioffe & Szegedy 2015) per channel, with PyTorch's constants: eps Spec's
// (1e-5 by default), running statistics updated with momentum 0.1 (the running variance with the
// unbiased batch variance). Training normalises with the batch statistics, evaluation with the
// running ones. With synchronize_statistics(&communicator) the batch statistics are those of the
// batches of all processes together (PyTorch's SyncBatchNorm): per-channel sums are added up
// across processes in forward, and the sums of dy and dy * xhat in backward.
template <class Spec, class In, class T>
class batch_norm_layer : public detail::with_parameters<T, 2> {
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;

 public:
  static constexpr double epsilon = Spec::epsilon;
  static constexpr double momentum = 0.1;

  explicit batch_norm_layer(std::size_t = 1)
      : running_mean_(C), running_var_(C), mean_(C), inv_std_(C), scale_(C), work_(C) {
    this->params_[0] = Parameter<T>(ParameterKind::scale, C);  // gamma
    this->params_[1] = Parameter<T>(ParameterKind::shift, C);  // beta
    for (std::size_t c = 0; c < C; ++c) {
      this->params_[0].value[c] = T(1);
      running_var_[c] = T(1);
    }
  }
  AlignedBuffer<T>& running_mean() { return running_mean_; }
  AlignedBuffer<T>& running_var() { return running_var_; }
  const AlignedBuffer<T>& running_mean() const { return running_mean_; }
  // State that is not trained but that evaluation depends on (Network snapshots it).
  std::vector<AlignedBuffer<T>*> state_buffers() { return {&running_mean_, &running_var_}; }
  const AlignedBuffer<T>& running_var() const { return running_var_; }
  // Training batches seen (PyTorch's num_batches_tracked, kept for its weight files).
  std::int64_t& num_batches_tracked() { return batches_tracked_; }
  // Batch statistics over every process of `communicator` from now on; nullptr: this process's
  // batch alone (the default, PyTorch DDP's). Every process must then run forward and backward
  // in training mode together, as fit does.
  void synchronize_statistics(Communicator* communicator) { sync_ = communicator; }

  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode mode) {
    const std::size_t batch = x.batch();
    y.set_batch(batch);
    forward_batch_ = batch;
    training_ = mode == Mode::train;
    const T* gamma = this->params_[0].value.data();
    if (training_) {
      std::size_t count = batch * P;
      if (sync_ != nullptr) {
        count = synchronized_statistics(x);
      } else {
        expr::reduce_channels<expr::Reduce::mean, In>(expr::ref(x), batch, mean_.data());
        const auto centred = x - expr::channel<C>(mean_.data());
        expr::reduce_channels<expr::Reduce::mean, In>(centred * centred, batch, work_.data());
      }
      if (count < 2)
        throw std::invalid_argument(
            "BatchNorm: training needs more than one value per channel (batch " +
            std::to_string(batch) + " x " + std::to_string(P) + " positions" +
            (sync_ != nullptr ? ", all processes" : "") + ")");
      ++batches_tracked_;
      for (std::size_t c = 0; c < C; ++c) {
        inv_std_[c] = T(1) / std::sqrt(work_[c] + T(epsilon));
        running_mean_[c] = T(1 - momentum) * running_mean_[c] + T(momentum) * mean_[c];
        running_var_[c] =
            T(1 - momentum) * running_var_[c] + T(momentum) * work_[c] * T(count) / T(count - 1);
      }
    } else {
      for (std::size_t c = 0; c < C; ++c) {
        mean_[c] = running_mean_[c];
        inv_std_[c] = T(1) / std::sqrt(running_var_[c] + T(epsilon));
      }
    }
    for (std::size_t c = 0; c < C; ++c) scale_[c] = gamma[c] * inv_std_[c];
    y = (x - expr::channel<C>(mean_.data())) * expr::channel<C>(scale_.data()) +
        expr::channel<C>(this->params_[1].value.data());
  }

  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    const std::size_t batch = x.batch();
    detail::check_backward_batch(forward_batch_, batch, "BatchNorm");
    T* dgamma = this->params_[0].gradient.data();
    T* dbeta = this->params_[1].gradient.data();
    const auto xhat = (x - expr::channel<C>(mean_.data())) * expr::channel<C>(inv_std_.data());
    expr::reduce_channels<expr::Reduce::sum, In>(dy * xhat, batch, dgamma);
    expr::reduce_channels<expr::Reduce::sum, In>(expr::ref(dy), batch, dbeta);
    if (dx == nullptr) return;
    dx->set_batch(batch);
    if (!training_) {
      *dx = dy * expr::channel<C>(scale_.data());
      return;
    }
    // dx = gamma * inv_std / M * (M dy - sum(dy) - xhat * sum(dy xhat)), M = batch * positions.
    // Synchronised: the sums over every process's batch (the parameter gradients stay this
    // process's own: fit averages them across processes like every other gradient).
    const T count = T(sync_ != nullptr ? sync_count_ : batch * P);
    for (std::size_t c = 0; c < C; ++c) {
      mean_dy_[c] = dbeta[c];
      mean_dy_xhat_[c] = dgamma[c];
    }
    if (sync_ != nullptr) {
      sync_->allreduce_sum(mean_dy_.span());
      sync_->allreduce_sum(mean_dy_xhat_.span());
    }
    for (std::size_t c = 0; c < C; ++c) {
      mean_dy_[c] /= count;
      mean_dy_xhat_[c] /= count;
    }
    *dx = expr::channel<C>(scale_.data()) *
          (dy - expr::channel<C>(mean_dy_.data()) - xhat * expr::channel<C>(mean_dy_xhat_.data()));
  }

 private:
  // Mean (into mean_) and biased variance (into work_) over the batches of all processes, in two
  // passes as for one process (sum, then the sum of squares about the global mean); returns the
  // number of values per channel. The count travels as T: exact up to 2^24 values per channel
  // in float.
  std::size_t synchronized_statistics(const Tensor<T, In>& x) {
    const std::size_t batch = x.batch();
    expr::reduce_channels<expr::Reduce::sum, In>(expr::ref(x), batch, sums_.data());
    sums_[C] = T(batch * P);
    sync_->allreduce_sum(sums_.span());
    const T count = sums_[C];
    for (std::size_t c = 0; c < C; ++c) mean_[c] = sums_[c] / count;
    const auto centred = x - expr::channel<C>(mean_.data());
    expr::reduce_channels<expr::Reduce::sum, In>(centred * centred, batch, work_.data());
    sync_->allreduce_sum(work_.span());
    for (std::size_t c = 0; c < C; ++c) work_[c] /= count;
    sync_count_ = std::size_t(count);
    return sync_count_;
  }

  std::int64_t batches_tracked_ = 0;
  Communicator* sync_ = nullptr;
  std::size_t sync_count_ = 0;
  AlignedBuffer<T> sums_{C + 1};
  AlignedBuffer<T> running_mean_, running_var_;
  AlignedBuffer<T> mean_, inv_std_, scale_, work_;
  AlignedBuffer<T> mean_dy_{C}, mean_dy_xhat_{C};
  bool training_ = false;
  std::size_t forward_batch_ = 0;
};
}  // namespace detail

template <class In, class T>
class Layer<BatchNorm, In, T> : public detail::batch_norm_layer<BatchNorm, In, T> {
 public:
  using detail::batch_norm_layer<BatchNorm, In, T>::batch_norm_layer;
};
template <class Eps, class In, class T>
class Layer<BatchNormEps<Eps>, In, T> : public detail::batch_norm_layer<BatchNormEps<Eps>, In, T> {
 public:
  using detail::batch_norm_layer<BatchNormEps<Eps>, In, T>::batch_norm_layer;
};

}  // namespace typenet
