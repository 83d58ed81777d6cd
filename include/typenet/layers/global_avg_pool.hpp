// GlobalAvgPool: the mean of each channel plane; shape rule in spec/global_avg_pool.hpp.
#pragma once

#include <Eigen/Core>
#include <cstddef>

#include "typenet/layers/layer.hpp"
#include "typenet/spec/global_avg_pool.hpp"

namespace typenet {

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
    // Replicating the plain map and dividing after: replicating the quotient expression would
    // evaluate it into a temporary, one allocation per step.
    dX = dY.replicate(1, Eigen::Index(P)) / T(P);
  }
};

}  // namespace typenet
