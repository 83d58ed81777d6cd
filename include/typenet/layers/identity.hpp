// Identity: y = x (the default shortcut of a Residual); spec in spec/identity.hpp.
#pragma once

#include <cstddef>
#include <cstring>

#include "typenet/layers/layer.hpp"
#include "typenet/spec/identity.hpp"

namespace typenet {

template <class In, class T>
class Layer<Identity, In, T> : public detail::without_parameters<T> {
 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    std::memcpy(y.data(), x.data(), x.size() * sizeof(T));
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    std::memcpy(dx->data(), dy.data(), dy.size() * sizeof(T));
  }
};

}  // namespace typenet
