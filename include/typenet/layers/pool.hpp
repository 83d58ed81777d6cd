// Pooling and Flatten.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "typenet/kernel/kernels.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/pool.hpp"

namespace typenet {

namespace detail {
template <class Spec, class In>
constexpr kernel::Window2D pool_window() {
  using Out = typename bind<Spec, In>::output_type;
  return {In::dims[0],          In::dims[1],          In::dims[2],       Out::dims[1],
          Out::dims[2],         Spec::kernel::height, Spec::kernel::width, Spec::stride::height,
          Spec::stride::width,  Spec::pad::height,    Spec::pad::width,  1,
          1};
}
}  // namespace detail

// The gradient of each output goes to the input that won its window (the first one on ties).
template <class... Options, class In, class T>
class Layer<MaxPool2D<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = MaxPool2D<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr kernel::Window2D window = detail::pool_window<Spec, In>();

 public:
  explicit Layer(std::size_t capacity = 1) : argmax_(capacity * Out::size) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    if (x.batch() * Out::size > argmax_.size())
      throw std::length_error("MaxPool2D: a batch of " + std::to_string(x.batch()) +
                              " exceeds the capacity the layer was built for");
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    kernel::max_pool_forward(window, x.data(), y.data(), argmax_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "MaxPool2D");
    dx->set_batch(x.batch());
    kernel::max_pool_backward(window, dy.data(), argmax_.data(), dx->data(), x.batch());
  }
  // For each output of the last forward pass, the flat index of its winner in its channel plane.
  const AlignedBuffer<std::int32_t>& argmax() const { return argmax_; }

 private:
  AlignedBuffer<std::int32_t> argmax_;
  std::size_t forward_batch_ = 0;
};

template <class... Options, class In, class T>
class Layer<AvgPool2D<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = AvgPool2D<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr kernel::Window2D window = detail::pool_window<Spec, In>();

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    y.set_batch(x.batch());
    kernel::avg_pool_forward(window, x.data(), y.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    kernel::avg_pool_backward(window, dy.data(), dx->data(), x.batch());
  }
};

template <class In, class T>
class Layer<GlobalAvgPool, In, T> : public detail::without_parameters<T> {
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;
  using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Shape<C>>& y, Mode) {
    y.set_batch(x.batch());
    Eigen::Map<const Matrix> X(x.data(), Eigen::Index(x.batch() * C), Eigen::Index(P));
    Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> Y(y.data(), Eigen::Index(x.batch() * C));
    Y = X.rowwise().mean();
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Shape<C>>&, const Tensor<T, Shape<C>>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    Eigen::Map<Matrix> dX(dx->data(), Eigen::Index(x.batch() * C), Eigen::Index(P));
    Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> dY(dy.data(), Eigen::Index(x.batch() * C));
    dX = (dY / T(P)).replicate(1, Eigen::Index(P));
  }
};

// The layout is already sample-major and row-major, so flattening is a copy of the same bytes.
template <class In, class T>
class Layer<Flatten, In, T> : public detail::without_parameters<T> {
  using Out = Shape<In::size>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    y.set_batch(x.batch());
    std::memcpy(y.data(), x.data(), x.size() * sizeof(T));
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    std::memcpy(dx->data(), dy.data(), dy.size() * sizeof(T));
  }
};

}  // namespace typenet
