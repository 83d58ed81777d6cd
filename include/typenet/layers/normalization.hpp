// Dropout, BatchNorm, LocalResponseNorm.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "typenet/expr/expr.hpp"
#include "typenet/kernel/kernels.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/normalization.hpp"

namespace typenet {

// Inverted dropout: in training each input is kept with probability 1 - P and scaled by
// 1 / (1 - P), so evaluation is the identity. The mask comes from the layer's own generator;
// seed() makes it reproducible.
template <class P, class In, class T>
class Layer<Dropout<P>, In, T> : public detail::without_parameters<T> {
  static constexpr double probability = Dropout<P>::probability;

 public:
  explicit Layer(std::size_t capacity = 1) : mask_(capacity * In::size) {}
  void seed(std::uint64_t value) { generator_.seed(value); }

  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode mode) {
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    training_ = mode == Mode::train;
    if (!training_) {
      y = expr::ref(x) * 1;
      return;
    }
    if (x.size() > mask_.size())
      throw std::length_error("Dropout: a batch of " + std::to_string(x.batch()) +
                              " exceeds the capacity the layer was built for");
    std::bernoulli_distribution keep(1.0 - probability);
    const T scale = probability < 1 ? T(1.0 / (1.0 - probability)) : T(0);
    for (std::size_t i = 0; i < x.size(); ++i) mask_[i] = keep(generator_) ? scale : T(0);
    y = x * expr::ref<In>(mask_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "Dropout");
    dx->set_batch(x.batch());
    if (training_)
      *dx = dy * expr::ref<In>(mask_.data(), x.batch());
    else
      *dx = expr::ref(dy) * 1;
  }
  // The scale each input was multiplied by in the last training pass (0 where dropped).
  const AlignedBuffer<T>& mask() const { return mask_; }

 private:
  AlignedBuffer<T> mask_;
  std::mt19937_64 generator_{0x7970656e6574ULL};
  bool training_ = false;
  std::size_t forward_batch_ = 0;
};

// Batch normalisation (Ioffe & Szegedy 2015) per channel, with PyTorch's constants: eps 1e-5,
// running statistics updated with momentum 0.1 (the running variance with the unbiased batch
// variance). Training normalises with the batch statistics, evaluation with the running ones.
template <class In, class T>
class Layer<BatchNorm, In, T> : public detail::with_parameters<T, 2> {
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;

 public:
  static constexpr double epsilon = 1e-5;
  static constexpr double momentum = 0.1;

  explicit Layer(std::size_t = 1)
      : running_mean_(C), running_var_(C), mean_(C), inv_std_(C), scale_(C), work_(C) {
    this->params_[0] = Parameter<T>("gamma", C);
    this->params_[1] = Parameter<T>("beta", C);
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

  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode mode) {
    const std::size_t batch = x.batch();
    y.set_batch(batch);
    forward_batch_ = batch;
    training_ = mode == Mode::train;
    const T* gamma = this->params_[0].value.data();
    if (training_) {
      const std::size_t count = batch * P;
      if (count < 2)
        throw std::invalid_argument(
            "BatchNorm: training needs more than one value per channel (batch " +
            std::to_string(batch) + " x " + std::to_string(P) + " positions)");
      expr::reduce_channels<expr::Reduce::mean, In>(expr::ref(x), batch, mean_.data());
      const auto centred = x - expr::channel<C>(mean_.data());
      expr::reduce_channels<expr::Reduce::mean, In>(centred * centred, batch, work_.data());
      for (std::size_t c = 0; c < C; ++c) {
        inv_std_[c] = T(1) / std::sqrt(work_[c] + T(epsilon));
        running_mean_[c] = T(1 - momentum) * running_mean_[c] + T(momentum) * mean_[c];
        running_var_[c] = T(1 - momentum) * running_var_[c] +
                          T(momentum) * work_[c] * T(count) / T(count - 1);
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
    const T count = T(batch * P);
    for (std::size_t c = 0; c < C; ++c) {
      mean_dy_[c] = dbeta[c] / count;
      mean_dy_xhat_[c] = dgamma[c] / count;
    }
    *dx = expr::channel<C>(scale_.data()) *
          (dy - expr::channel<C>(mean_dy_.data()) - xhat * expr::channel<C>(mean_dy_xhat_.data()));
  }

 private:
  AlignedBuffer<T> running_mean_, running_var_;
  AlignedBuffer<T> mean_, inv_std_, scale_, work_;
  AlignedBuffer<T> mean_dy_{C}, mean_dy_xhat_{C};
  bool training_ = false;
  std::size_t forward_batch_ = 0;
};

template <std::size_t Size, class Alpha, class Beta, class K, class In, class T>
class Layer<LocalResponseNorm<Size, Alpha, Beta, K>, In, T> : public detail::without_parameters<T> {
  using Spec = LocalResponseNorm<Size, Alpha, Beta, K>;
  static constexpr kernel::LrnParameters parameters_{Size, Spec::alpha, Spec::beta, Spec::k};
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;

 public:
  explicit Layer(std::size_t capacity = 1) : scale_(capacity * In::size) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    if (x.size() > scale_.size())
      throw std::length_error("LocalResponseNorm: a batch of " + std::to_string(x.batch()) +
                              " exceeds the capacity the layer was built for");
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    kernel::lrn_forward(parameters_, C, P, x.data(), y.data(), scale_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "LocalResponseNorm");
    dx->set_batch(x.batch());
    kernel::lrn_backward(parameters_, C, P, x.data(), scale_.data(), dy.data(), dx->data(),
                         x.batch());
  }

 private:
  AlignedBuffer<T> scale_;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet
