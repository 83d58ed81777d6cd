// DropConnect<Layer, P>: the wrapped Dense or Conv2D with each weight kept with probability
// 1 - P and scaled by 1/(1 - P) in training (Wan et al., ICML 2013, with inverted scaling);
// spec in spec/drop_connect.hpp, the mechanics in layers/detail/perturbed_weights.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <random>

#include "typenet/layers/conv2d.hpp"
#include "typenet/layers/dense.hpp"
#include "typenet/layers/detail/perturbed_weights.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/drop_connect.hpp"

namespace typenet {

template <class Inner, class P, class In, class T>
class Layer<DropConnect<Inner, P>, In, T>
    : public detail::perturbed_weights<Layer<DropConnect<Inner, P>, In, T>, Layer<Inner, In, T>, In,
                                       typename bind<Inner, In>::output_type, T> {
  static constexpr double probability = DropConnect<Inner, P>::probability;
  using base = detail::perturbed_weights<Layer, Layer<Inner, In, T>, In,
                                         typename bind<Inner, In>::output_type, T>;
  friend base;

 public:
  explicit Layer(std::size_t capacity = 1) : base(capacity) {}

 private:
  // W' = m W with m = 0 (probability P) or 1 / (1 - P): E[W'] = W.
  void draw(const AlignedBuffer<T>& weight, AlignedBuffer<T>& perturbed, AlignedBuffer<T>& factor,
            std::mt19937_64& generator) {
    std::bernoulli_distribution keep(1.0 - probability);
    const T scale = T(1.0 / (1.0 - probability));
    for (std::size_t i = 0; i < weight.size(); ++i) {
      factor[i] = keep(generator) ? scale : T(0);
      perturbed[i] = factor[i] * weight[i];
    }
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
