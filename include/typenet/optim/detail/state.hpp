// An optimiser's state (velocity, moment estimates, step counts), kept per parameter tensor,
// for either scalar type, and the checks of its hyper-parameters.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "typenet/expr/evaluate.hpp"
#include "typenet/kernel/parallel.hpp"
#include "typenet/layers/parameter.hpp"

namespace typenet::optim::detail {

// The state of one parameter tensor: `slots` arrays of its size, and how many steps it has had.
template <class T>
struct ParameterState {
  std::vector<T> values;  // slot k at [k * size, (k + 1) * size)
  std::size_t steps = 0;
};

// State belongs to the parameter it describes, not to its place in a list: freezing a layer
// (which removes its parameters from the list Model passes) or unfreezing it again leaves every
// other parameter's state where it was, and a parameter that comes back resumes its own state
// and step count (as PyTorch's optimisers keep state per parameter). Created on a parameter's
// first step; later steps find it without allocating.
template <class T>
class State {
 public:
  ParameterState<T>& of(const Parameter<T>& p, std::size_t slots) {
    auto [it, created] = states_.try_emplace(&p);
    if (created || it->second.values.size() != slots * p.size()) {
      // New, or a different tensor at a recycled address: start afresh.
      it->second.values.assign(slots * p.size(), T(0));
      it->second.steps = 0;
    }
    return it->second;
  }
  // The parameter's state, or nullptr before its first step (checkpoints read it).
  const ParameterState<T>* find(const Parameter<T>& p) const {
    const auto it = states_.find(&p);
    return it != states_.end() ? &it->second : nullptr;
  }
  // Forgets every parameter's state (a checkpoint's is loaded into a cleared one).
  void clear() { states_.clear(); }

 private:
  std::unordered_map<const Parameter<T>*, ParameterState<T>> states_;
};

// An optimiser's state for both scalar types (a model is float or double).
template <class Derived>
class Stateful {
 public:
  // Every parameter's state, for checkpoints (train/checkpoint.hpp), which save and restore it
  // by the parameter's state_dict name.
  template <class T>
  State<T>& parameter_state() {
    return state<T>();
  }

 protected:
  template <class T>
  State<T>& state() {
    if constexpr (std::is_same_v<T, float>)
      return float_state_;
    else
      return double_state_;
  }

 private:
  State<float> float_state_;
  State<double> double_state_;
};

// Hyper-parameter checks, with PyTorch's rules (torch/optim/*.py), made when an optimiser is
// constructed. `what` names the optimiser and the option, e.g. "optim::SGD: momentum".
inline void require(bool ok, const std::string& what, double value, const char* rule) {
  if (!ok)
    throw std::invalid_argument(what + " is " + std::to_string(value) + "; it must be " + rule);
}
inline void require_in_unit(const char* optimiser, const char* name, double value) {
  require(value >= 0 && value < 1, std::string(optimiser) + ": " + name, value, "in [0, 1)");
}
inline void require_non_negative(const char* optimiser, const char* name, double value) {
  require(std::isfinite(value) && value >= 0, std::string(optimiser) + ": " + name, value,
          "finite and >= 0");
}

// The rate a step is asked to take (the optimiser's, times a schedule's factor), checked before
// any weight moves: a NaN or infinite rate would turn every weight into NaN.
inline void require_step_rate(const char* optimiser, double lr) {
  if (!(std::isfinite(lr) && lr >= 0))
    throw std::invalid_argument(std::string(optimiser) + "::step: the learning rate is " +
                                std::to_string(lr) +
                                " (from the schedule?); it must be finite and >= 0, so no weight "
                                "was changed");
}

// Calls update(begin, end) on ranges covering [0, count), split over the threads when count
// is large. Each element is updated on its own, so the split does not change the result.
template <class F>
void for_elements(std::size_t count, F&& update) {
  if (count < expr::parallel_elements) {
    update(std::size_t{0}, count);
    return;
  }
  kernel::parallel_for(
      count, [&](std::size_t begin, std::size_t end, std::size_t) { update(begin, end); });
}

}  // namespace typenet::optim::detail
