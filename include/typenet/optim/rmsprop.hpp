// RMSProp (Tieleman & Hinton 2012; torch.optim.RMSprop with alpha = decay):
//   c <- rho c + (1 - rho) g^2;  w <- w - lr g / (sqrt(c) + eps)
// State is allocated on the first step; later steps do not allocate.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cmath>
#include <cstddef>
#include <vector>

#include "typenet/layers/parameter.hpp"
#include "typenet/optim/detail/state.hpp"

namespace typenet::optim {

struct RMSProp : detail::Stateful<RMSProp> {
  struct Options {
    double lr = 0.001;
    double decay = 0.99;
    double eps = 1e-8;
  } options;
  RMSProp() = default;
  explicit RMSProp(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    const T rho = T(options.decay);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      T* cache = this->template state<T>().slot(params, k, 0, 1);
      for (std::size_t i = 0; i < params[k]->size(); ++i) {
        cache[i] = rho * cache[i] + (1 - rho) * g[i] * g[i];
        w[i] -= T(lr) * g[i] / (std::sqrt(cache[i]) + T(options.eps));
      }
    }
  }
};

}  // namespace typenet::optim

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
