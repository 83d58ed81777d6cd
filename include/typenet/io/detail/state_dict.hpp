// The walk from a network's layers to PyTorch state_dict entries: one name per parameter
// tensor and running statistic, in the order nn.Module.state_dict() lists them.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/graph/summary.hpp"  // detail::dims_of
#include "typenet/net/network.hpp"

namespace typenet::io::detail {

// One state_dict entry. In a walk over types only (no network), the pointers are null.
struct StateEntry {
  std::string name;
  std::vector<std::size_t> shape;
  float* f32 = nullptr;           // the values, for a float network
  double* f64 = nullptr;          // or for a double one
  std::int64_t* count = nullptr;  // num_batches_tracked: an I64 scalar
  bool integer = false;
};

template <class T>
void set_values(StateEntry& e, T* values) {
  if constexpr (std::is_same_v<T, float>)
    e.f32 = values;
  else
    e.f64 = values;
}

template <class N, std::size_t K>
using layer_at = std::remove_reference_t<decltype(std::declval<N&>().template layer<K>())>;

template <class N>
void walk_network(N* network, const std::string& prefix, std::vector<StateEntry>& out);

// A layer with its parameters: "weight" then "bias" (BatchNorm's gamma and beta, PReLU's slopes
// are PyTorch's weight and bias too), or the names its spec declares in
// `static constexpr std::array<std::string_view, K> parameter_names` (the recurrent layers'
// weight_ih_l0, ...); then BatchNorm's running_mean, running_var and num_batches_tracked.
template <class Spec>
constexpr std::string_view parameter_name(std::size_t k) {
  if constexpr (requires { Spec::parameter_names[0]; })
    return Spec::parameter_names[k];
  else
    return k == 0 ? "weight" : "bias";
}
template <class Spec, class In, class T>
void walk_leaf(Layer<Spec, In, T>* layer, const std::string& prefix, std::vector<StateEntry>& out) {
  using shapes = typename bind<Spec, In>::parameter_shapes;
  static_assert(
      requires { Spec::parameter_names[0]; } || boost::mp11::mp_size<shapes>::value <= 2,
      "a layer with more than a weight and a bias needs its own state_dict names");
  boost::mp11::mp_for_each<boost::mp11::mp_iota<boost::mp11::mp_size<shapes>>>([&](auto k) {
    constexpr std::size_t K = decltype(k)::value;
    StateEntry e{prefix + std::string(parameter_name<Spec>(K)),
                 typenet::detail::dims_of<boost::mp11::mp_at_c<shapes, K>>()};
    if (layer != nullptr) set_values<T>(e, layer->parameters()[K].value.data());
    out.push_back(std::move(e));
  });
  using L = Layer<Spec, In, T>;
  if constexpr (requires(L & l) {
                  l.running_mean();
                  l.running_var();
                  l.num_batches_tracked();
                }) {
    using channels = boost::mp11::mp_at_c<shapes, 0>;
    StateEntry mean{prefix + "running_mean", typenet::detail::dims_of<channels>()};
    StateEntry var{prefix + "running_var", typenet::detail::dims_of<channels>()};
    StateEntry count{prefix + "num_batches_tracked", {}};
    count.integer = true;
    if (layer != nullptr) {
      set_values<T>(mean, layer->running_mean().data());
      set_values<T>(var, layer->running_var().data());
      count.count = &layer->num_batches_tracked();
    }
    out.push_back(std::move(mean));
    out.push_back(std::move(var));
    out.push_back(std::move(count));
  }
}

// A composite layer holds networks: a Block's chain is named like a nested nn.Sequential
// ("4.0.weight"), a Residual's networks "4.branch.0.weight" and "4.shortcut.0.weight", the
// branches of Concat, CropConcat and Heads like an nn.ModuleList ("4.1.0.weight").
template <class L>
void walk_layer(L* layer, const std::string& prefix, std::vector<StateEntry>& out) {
  const auto inner = [&](auto member) {
    using Inner = std::remove_reference_t<decltype(member(std::declval<L&>()))>;
    return layer != nullptr ? &member(*layer) : static_cast<Inner*>(nullptr);
  };
  if constexpr (requires(L & l) { l.chain(); }) {
    walk_network(inner([](L & l) -> auto& { return l.chain(); }), prefix, out);
  } else if constexpr (requires(L & l) {
                         l.branch();
                         l.shortcut();
                       }) {
    walk_network(inner([](L & l) -> auto& { return l.branch(); }), prefix + "branch.", out);
    walk_network(inner([](L & l) -> auto& { return l.shortcut(); }), prefix + "shortcut.", out);
  } else if constexpr (requires { L::branch_count; }) {
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<L::branch_count>>([&](auto k) {
      walk_network(inner([](L & l) -> auto& { return l.template branch<decltype(k)::value>(); }),
                   prefix + std::to_string(k) + ".", out);
    });
  } else {
    walk_leaf(layer, prefix, out);
  }
}

template <class N>
void walk_network(N* network, const std::string& prefix, std::vector<StateEntry>& out) {
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<N::depth>>([&](auto k) {
    constexpr std::size_t K = decltype(k)::value;
    using L = layer_at<N, K>;
    L* layer = network != nullptr ? &network->template layer<K>() : nullptr;
    walk_layer(layer, prefix + std::to_string(k) + ".", out);
  });
}

}  // namespace typenet::io::detail
