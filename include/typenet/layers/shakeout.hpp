// Shakeout<Layer, Tau, C>: the wrapped Dense with the weights of each input unit j enhanced or
// reversed in training (Kang, Li, Tao, AAAI 2016, eq. 1); spec and rule in spec/shakeout.hpp,
// the mechanics in layers/detail/perturbed_weights.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <random>

#include "typenet/layers/dense.hpp"
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
  static constexpr std::size_t inputs = In::dims[0];

 public:
  explicit Layer(std::size_t capacity = 1) : base(capacity) {}

 private:
  // Weights are Out x In, row-major (PyTorch's Linear): input unit j is column j. Per column,
  // a = r_j / (1 - Tau) and w' = a w + C (a - 1) sign(w); dw'/dw = a (sign is flat but at 0).
  void draw(const AlignedBuffer<T>& weight, AlignedBuffer<T>& perturbed, AlignedBuffer<T>& factor,
            std::mt19937_64& generator) {
    std::bernoulli_distribution keep(1.0 - Spec::tau);
    const T scale = T(1.0 / (1.0 - Spec::tau));
    T* column_factor = factor.data();  // the first row holds the columns' a, then is filled
    for (std::size_t j = 0; j < inputs; ++j) column_factor[j] = keep(generator) ? scale : T(0);
    const T c = T(Spec::c);
    for (std::size_t i = weight.size(); i-- > 0;) {
      const T a = column_factor[i % inputs];
      const T w = weight[i];
      const T sign = T((w > 0) - (w < 0));
      perturbed[i] = a * w + c * (a - 1) * sign;
      factor[i] = a;
    }
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
