// Stochastic gradient descent with momentum, Nesterov momentum and weight decay (PyTorch's
// torch.optim.SGD; the Nesterov step in its look-ahead form), for each parameter w with
// gradient g:
//   g <- g + wd w;  v <- momentum v - lr g;  w <- w + v      (momentum 0: w <- w - lr g)
//   Nesterov: w <- w - momentum v_prev + (1 + momentum) v
// State (the velocity) is allocated on the first step; later steps do not allocate.
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

struct SGD : detail::Stateful<SGD> {
  struct Options {
    double lr = 0.01;
    double momentum = 0;
    bool nesterov = false;
    double weight_decay = 0;
  } options;
  SGD() = default;
  explicit SGD(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    const T mu = T(options.momentum), wd = T(options.weight_decay), rate = T(lr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      const std::size_t n = params[k]->size();
      if (options.momentum == 0) {
        for (std::size_t i = 0; i < n; ++i) w[i] -= rate * (g[i] + wd * w[i]);
        continue;
      }
      T* v = this->template state<T>().slot(params, k, 0, 1);
      for (std::size_t i = 0; i < n; ++i) {
        const T previous = v[i];
        v[i] = mu * v[i] - rate * (g[i] + wd * w[i]);
        w[i] += options.nesterov ? -mu * previous + (1 + mu) * v[i] : v[i];
      }
    }
  }
};

}  // namespace typenet::optim

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
