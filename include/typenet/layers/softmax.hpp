// Softmax over the channels; shape rule in spec/softmax.hpp.
#pragma once

#include <Eigen/Core>
#include <cstddef>

#include "typenet/layers/layer.hpp"
#include "typenet/spec/softmax.hpp"

namespace typenet {

// Softmax over the channels: the features of a vector, or the C values at each pixel.
template <class In, class T>
class Layer<Softmax, In, T> : public detail::without_parameters<T> {
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;
  using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Map = Eigen::Map<Matrix>;
  using ConstMap = Eigen::Map<const Matrix>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    for (std::size_t n = 0; n < x.batch(); ++n) {
      ConstMap X(x.sample(n), C, P);
      Map Y(y.sample(n), C, P);
      // Shifting by the maximum keeps exp() finite for logits of any size.
      Y = (X.rowwise() - X.colwise().maxCoeff()).exp();
      Y.rowwise() /= Y.colwise().sum();
    }
  }
  // dx = y * (dy - sum_c(dy * y)), per pixel.
  void backward(const Tensor<T, In>& x, const Tensor<T, In>& y, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    for (std::size_t n = 0; n < x.batch(); ++n) {
      ConstMap Y(y.sample(n), C, P);
      ConstMap dY(dy.sample(n), C, P);
      Map dX(dx->sample(n), C, P);
      dX = Y * (dY.rowwise() - (dY * Y).colwise().sum());
    }
  }
};

}  // namespace typenet
