// Shakeout<Layer, Tau, C>: the wrapped Dense or Conv2D with the weights of each input unit j
// (a Conv2D's input channel) enhanced or reversed in training (Kang, Li, Tao, AAAI 2016, eq. 1);
// spec and rule in spec/shakeout.hpp, the mechanics in layers/detail/perturbed_weights.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <random>

#include "typenet/layers/conv2d.hpp"
#include "typenet/layers/dense.hpp"
#include "typenet/layers/detail/connections.hpp"
#include "typenet/layers/detail/perturbed_weights.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/shakeout.hpp"

namespace typenet {

template <class Inner, class Tau, class C, class In, class T>
class Layer<Shakeout<Inner, Tau, C>, In, T>
    : public detail::perturbed_weights<Layer<Shakeout<Inner, Tau, C>, In, T>, Layer<Inner, In, T>,
                                       In, typename bind<Inner, In>::output_type, T> {
  using Spec = Shakeout<Inner, Tau, C>;
  using base = detail::perturbed_weights<Layer, Layer<Inner, In, T>, In,
                                         typename bind<Inner, In>::output_type, T>;
  friend base;
  using wiring = detail::connections<Inner, In>;

 public:
  explicit Layer(std::size_t capacity = 1) : base(capacity) {}

 private:
  // Per input unit j (a Dense's column, a Conv2D's input channel: its kernel slices in every
  // output channel), a = r_j / (1 - Tau) and w' = a w + C (a - 1) sign(w); dw'/dw = a (sign is
  // flat but at 0).
  void draw(const AlignedBuffer<T>& weight, AlignedBuffer<T>& perturbed, AlignedBuffer<T>& factor,
            std::mt19937_64& generator) {
    std::bernoulli_distribution keep(1.0 - Spec::tau);
    const T scale = T(1.0 / (1.0 - Spec::tau));
    // factor's first entries hold the units' a, then are overwritten from the end: weight i
    // reads unit input_of(i) <= i, so no unit's a is overwritten before its last reader.
    T* unit_factor = factor.data();
    for (std::size_t j = 0; j < wiring::inputs; ++j)
      unit_factor[j] = keep(generator) ? scale : T(0);
    const T c = T(Spec::c);
    for (std::size_t i = weight.size(); i-- > 0;) {
      const T a = unit_factor[wiring::input_of(i)];
      const T w = weight[i];
      const T sign = T((w > 0) - (w < 0));
      perturbed[i] = a * w + c * (a - 1) * sign;
      factor[i] = a;
    }
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
