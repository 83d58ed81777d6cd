// Adam (Kingma & Ba 2015; torch.optim.Adam) and AdamW (Loshchilov & Hutter 2019;
// torch.optim.AdamW):
//   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  t <- t + 1
//   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// weight_decay adds wd w to g (L2, as torch.optim.Adam); AdamW instead subtracts lr wd w from w.
// State (moments and step count) belongs to each parameter, created on its first step; later
// steps do not allocate.
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

struct Adam : detail::Stateful<Adam> {
  struct Options {
    double lr = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0;
    bool decoupled = false;  // AdamW (Loshchilov & Hutter 2019)
  } options;
  Adam() = default;
  // Throws std::invalid_argument for a rate, eps or weight decay that is negative or not
  // finite, or a beta outside [0, 1).
  explicit Adam(Options o) : options(o) {
    const char* name = o.decoupled ? "optim::AdamW" : "optim::Adam";
    detail::require_non_negative(name, "the learning rate", o.lr);
    detail::require_in_unit(name, "beta1", o.beta1);
    detail::require_in_unit(name, "beta2", o.beta2);
    detail::require_non_negative(name, "eps", o.eps);
    detail::require_non_negative(name, "weight_decay", o.weight_decay);
  }
  double learning_rate() const { return options.lr; }
  // Calls of step() so far. Each parameter counts its own steps for the bias correction.
  std::size_t steps() const { return t_; }
  void set_steps(std::size_t steps) { t_ = steps; }  // a checkpoint's count, on resume

  // For checkpoints: the name, the options (a resume with others is refused) and PyTorch's
  // names of the state slots (torch.optim.Adam's state['exp_avg'], state['exp_avg_sq']).
  const char* type_name() const { return options.decoupled ? "AdamW" : "Adam"; }
  std::vector<std::pair<const char*, double>> hyper_parameters() const {
    return {{"lr", options.lr},
            {"beta1", options.beta1},
            {"beta2", options.beta2},
            {"eps", options.eps},
            {"weight_decay", options.weight_decay},
            {"decoupled", options.decoupled ? 1.0 : 0.0}};
  }
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_sq"};

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    detail::require_step_rate(options.decoupled ? "optim::AdamW" : "optim::Adam", lr);
    ++t_;
    const T b1 = T(options.beta1), b2 = T(options.beta2), wd = T(options.weight_decay);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      auto& state = this->template state<T>().of(*params[k], 2);
      // The parameter's own step count, as PyTorch's state['step']: one frozen for a while
      // resumes its bias correction where it left it.
      const double t = double(++state.steps);
      const T correction1 = T(1 - std::pow(options.beta1, t));
      const T correction2 = T(1 - std::pow(options.beta2, t));
      T* m = state.values.data();
      T* v = m + params[k]->size();
      detail::for_elements(params[k]->size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const T gradient = options.decoupled ? g[i] : g[i] + wd * w[i];
          m[i] = b1 * m[i] + (1 - b1) * gradient;
          v[i] = b2 * v[i] + (1 - b2) * gradient * gradient;
          if (options.decoupled) w[i] -= T(lr) * wd * w[i];
          w[i] -= T(lr) * (m[i] / correction1) / (std::sqrt(v[i] / correction2) + T(options.eps));
        }
      });
    }
  }

 private:
  std::size_t t_ = 0;
};

// AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch).
struct AdamW : Adam {
  AdamW() : Adam(Options{.weight_decay = 0.01, .decoupled = true}) {}
  explicit AdamW(Options o) : Adam(with_decoupled(o)) {}

 private:
  static Options with_decoupled(Options o) {
    o.decoupled = true;
    return o;
  }
};

}  // namespace typenet::optim

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
