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
  using Row = Eigen::Map<Eigen::Array<T, 1, Eigen::Dynamic>>;

 public:
  explicit Layer(std::size_t = 1) : per_pixel_(P) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    for (std::size_t n = 0; n < x.batch(); ++n) {
      ConstMap X(x.sample(n), C, P);
      Map Y(y.sample(n), C, P);
      // Shifting by the maximum keeps exp() finite for logits of any size. The per-pixel maxima
      // and sums go to a buffer of the layer's: as a nested expression Eigen would evaluate
      // them into a temporary, an allocation per sample.
      Row m(per_pixel_.data(), Eigen::Index(P));
      m = X.colwise().maxCoeff();
      Y = (X.rowwise() - m).exp();
      m = Y.colwise().sum();
      Y.rowwise() /= m;
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
      Row s(per_pixel_.data(), Eigen::Index(P));
      s = (dY * Y).colwise().sum();
      dX = Y * (dY.rowwise() - s);
    }
  }

 private:
  AlignedBuffer<T> per_pixel_;  // one value per pixel: a maximum, a sum
};

}  // namespace typenet
