// PReLU: y = x for x > 0, a_c x otherwise, with one learned slope a_c per channel; shape rule in
// spec/prelu.hpp.
#pragma once

#include <cstddef>

#include "typenet/expr/expr.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/prelu.hpp"

namespace typenet {

// Slopes start at 0.25, as He et al. 2015 and PyTorch start.
template <class In, class T>
class Layer<PReLU, In, T> : public detail::with_parameters<T, 1> {
  static constexpr std::size_t C = In::dims[0];

 public:
  explicit Layer(std::size_t = 1) {
    this->params_[0] = Parameter<T>(ParameterKind::slope, C);
    for (std::size_t c = 0; c < C; ++c) this->params_[0].value[c] = T(0.25);
  }
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    y = expr::select(x > 0, x, slope() * x);
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    expr::reduce_channels<expr::Reduce::sum, In>(expr::select(x > 0, 0, dy * x), x.batch(),
                                                 this->params_[0].gradient.data());
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    *dx = expr::select(x > 0, dy, slope() * dy);
  }

 private:
  auto slope() const { return expr::channel<C>(this->params_[0].value.data()); }
};

}  // namespace typenet
