// Flatten; shape rule in spec/flatten.hpp.
#pragma once

#include <cstddef>
#include <cstring>

#include "typenet/layers/layer.hpp"
#include "typenet/spec/flatten.hpp"

namespace typenet {

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
