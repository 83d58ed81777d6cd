// Stochastic gradient descent with momentum, Nesterov momentum and weight decay (PyTorch's
// torch.optim.SGD; the Nesterov step in its look-ahead form), for each parameter w with
// gradient g:
//   g <- g + wd w;  v <- momentum v - lr g;  w <- w + v      (momentum 0: w <- w - lr g)
//   Nesterov: w <- w - momentum v_prev + (1 + momentum) v
// State (the velocity) belongs to each parameter, created on its first step; later steps do
// not allocate.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <array>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>
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
  // Throws std::invalid_argument for a rate that is negative or not finite, momentum outside
  // [0, 1), Nesterov without momentum, or a negative weight decay.
  explicit SGD(Options o) : options(o) {
    detail::require_non_negative("optim::SGD", "the learning rate", o.lr);
    detail::require_in_unit("optim::SGD", "momentum", o.momentum);
    detail::require_non_negative("optim::SGD", "weight_decay", o.weight_decay);
    if (o.nesterov && o.momentum == 0)
      throw std::invalid_argument(
          "optim::SGD: Nesterov momentum requires momentum > 0 (with momentum 0 it would be "
          "plain SGD without a word)");
  }
  double learning_rate() const { return options.lr; }

  // For checkpoints: the name, the options (a resume with others is refused) and PyTorch's
  // name of the state slot (torch.optim.SGD's state['momentum_buffer']).
  const char* type_name() const { return "SGD"; }
  std::vector<std::pair<const char*, double>> hyper_parameters() const {
    return {{"lr", options.lr},
            {"momentum", options.momentum},
            {"nesterov", options.nesterov ? 1.0 : 0.0},
            {"weight_decay", options.weight_decay}};
  }
  static constexpr std::array<const char*, 1> state_names{"momentum_buffer"};

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    detail::require_step_rate("optim::SGD", lr);
    const T mu = T(options.momentum), wd = T(options.weight_decay), rate = T(lr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      const std::size_t n = params[k]->size();
      if (options.momentum == 0) {
        detail::for_elements(n, [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) w[i] -= rate * (g[i] + wd * w[i]);
        });
        continue;
      }
      T* v = this->template state<T>().of(*params[k], 1).values.data();
      detail::for_elements(n, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const T previous = v[i];
          v[i] = mu * v[i] - rate * (g[i] + wd * w[i]);
          w[i] += options.nesterov ? -mu * previous + (1 + mu) * v[i] : v[i];
        }
      });
    }
  }
};

}  // namespace typenet::optim

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
