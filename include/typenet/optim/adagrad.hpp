// AdaGrad (Duchi et al. 2011; torch.optim.Adagrad):
//   c <- c + g^2;  w <- w - lr g / (sqrt(c) + eps)
// State belongs to each parameter, created on its first step; later steps do not allocate.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <array>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "typenet/layers/parameter.hpp"
#include "typenet/optim/detail/state.hpp"

namespace typenet::optim {

struct AdaGrad : detail::Stateful<AdaGrad> {
  struct Options {
    double lr = 0.01;
    double eps = 1e-10;
  } options;
  AdaGrad() = default;
  // Throws std::invalid_argument for a rate or eps that is negative or not finite.
  explicit AdaGrad(Options o) : options(o) {
    detail::require_non_negative("optim::AdaGrad", "the learning rate", o.lr);
    detail::require_non_negative("optim::AdaGrad", "eps", o.eps);
  }
  double learning_rate() const { return options.lr; }

  // For checkpoints: the name, the options (a resume with others is refused) and PyTorch's
  // name of the state slot (torch.optim.Adagrad's state['sum']).
  const char* type_name() const { return "AdaGrad"; }
  std::vector<std::pair<const char*, double>> hyper_parameters() const {
    return {{"lr", options.lr}, {"eps", options.eps}};
  }
  static constexpr std::array<const char*, 1> state_names{"sum"};

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    detail::require_step_rate("optim::AdaGrad", lr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      T* cache = this->template state<T>().of(*params[k], 1).values.data();
      detail::for_elements(params[k]->size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          cache[i] += g[i] * g[i];
          w[i] -= T(lr) * g[i] / (std::sqrt(cache[i]) + T(options.eps));
        }
      });
    }
  }
};

}  // namespace typenet::optim

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
