// An optimiser's state: slots per parameter (velocity, moment estimates), for either scalar type.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <type_traits>
#include <vector>

#include "typenet/layers/parameter.hpp"

namespace typenet::optim::detail {

// Slots of state per parameter (velocity, caches), created on the first step.
template <class T>
class State {
 public:
  T* slot(const std::vector<Parameter<T>*>& params, std::size_t parameter, std::size_t k,
          std::size_t count) {
    if (slots_.empty()) {
      for (auto* p : params)
        for (std::size_t s = 0; s < count; ++s) slots_.emplace_back(p->size(), T(0));
    }
    return slots_[parameter * count + k].data();
  }

 private:
  std::vector<std::vector<T>> slots_;
};

// An optimiser's state for both scalar types (a model is float or double).
template <class Derived>
class Stateful {
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

}  // namespace typenet::optim::detail
