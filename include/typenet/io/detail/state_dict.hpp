// The walk from a network's layers to PyTorch state_dict entries: one name per parameter
// tensor and running statistic, in the order nn.Module.state_dict() lists them.
//
// The walk follows the types (the bound layers of each chain), and the layer objects alongside
// when it is given a network: listing the names (state_dict_names) instantiates no layer, which
// keeps it cheap to compile for the big zoo models.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/graph/block.hpp"
#include "typenet/graph/concat.hpp"
#include "typenet/graph/detail/branch.hpp"
#include "typenet/graph/heads.hpp"
#include "typenet/graph/residual.hpp"
#include "typenet/graph/summary.hpp"  // detail::dims_of
#include "typenet/net/network.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/named.hpp"

namespace typenet::io::detail {

// One state_dict entry. In a walk over types only (no network), the pointers are null.
struct StateEntry {
  std::string name;
  std::vector<std::size_t> shape;
  float* f32 = nullptr;           // the values, for a float network
  double* f64 = nullptr;          // or for a double one
  std::int64_t* count = nullptr;  // num_batches_tracked: an I64 scalar
  bool integer = false;
  bool conv2d_weight = false;  // a Conv2D's weight (the training report draws the first one)
};

// A stochastic layer's generator (Dropout's mask), named by the layer's state_dict prefix
// without its dot ("3", "4.branch.1").
struct GeneratorEntry {
  std::string name;
  std::mt19937_64* generator = nullptr;
};

template <class T>
void set_values(StateEntry& e, T* values) {
  if constexpr (std::is_same_v<T, float>)
    e.f32 = values;
  else
    e.f64 = values;
}

// Layers with running statistics (PyTorch's BatchNorm buffers).
template <class Spec>
inline constexpr bool has_running_stats = false;
template <>
inline constexpr bool has_running_stats<BatchNorm> = true;
template <class Eps>
inline constexpr bool has_running_stats<BatchNormEps<Eps>> = true;

template <class Spec>
inline constexpr bool is_conv2d = false;
template <std::size_t Out, class... Options>
inline constexpr bool is_conv2d<Conv2D<Out, Options...>> = true;

// The paths of a composite layer: a Block's one chain, a Residual's branch and shortcut, the
// branches of Concat, CropConcat and Heads.
template <class Spec>
inline constexpr bool is_block = false;
template <class... Specs>
inline constexpr bool is_block<Block<Specs...>> = true;
template <class Spec>
inline constexpr bool is_residual = false;
template <class B, class S>
inline constexpr bool is_residual<Residual<B, S>> = true;
template <class Spec>
struct branches_of {
  using type = void;
};
template <class... Bs>
struct branches_of<Concat<Bs...>> {
  using type = boost::mp11::mp_list<Bs...>;
};
template <class... Bs>
struct branches_of<CropConcat<Bs...>> {
  using type = boost::mp11::mp_list<Bs...>;
};
template <class... Hs>
struct branches_of<Heads<Hs...>> {
  using type = boost::mp11::mp_list<typename Hs::branch...>;
};

// The part a path of a composite layer adds to the names: `fallback` ("branch.", "shortcut.",
// "B."), or the path's name when it is a Named Block, or nothing when it is Inline or a Named
// single layer (that layer then names itself, as the only layer of the path's network).
template <class Path>
std::string path_part(const std::string& fallback) {
  using names = typenet::detail::unnamed<Path>;
  if constexpr (!names::named) {
    return fallback;
  } else if constexpr (is_block<typename names::type> && !names::name.empty()) {
    std::string part(names::name);
    part += '.';
    return part;
  } else {
    return "";
  }
}

// Out is std::vector<StateEntry> (the state_dict) or std::vector<GeneratorEntry>.
template <class Layers, class N, class Out>
void walk_chain(N* network, const std::string& prefix, Out& out);

// A path's bound layers, and its network inside the layer object (or nothing).
template <class In, class Path, class Object, class Out>
void walk_path(Object* network, const std::string& prefix, Out& out) {
  walk_chain<typename typenet::detail::bound_branch<In, Path>::layers>(network, prefix, out);
}

// A parameter's name: "weight" then "bias" (BatchNorm's gamma and beta, PReLU's slopes are
// PyTorch's weight and bias too), or the names its spec declares in
// `static constexpr std::array<std::string_view, K> parameter_names` (the recurrent layers'
// weight_ih_l0, ...).
template <class Spec>
constexpr std::string_view parameter_name(std::size_t k) {
  if constexpr (requires { Spec::parameter_names[0]; })
    return Spec::parameter_names[k];
  else
    return k == 0 ? "weight" : "bias";
}

// A layer with its parameters (parameter_name), then BatchNorm's running_mean, running_var and
// num_batches_tracked. A composite layer: its paths, named as path_part says. L is the layer's
// object type, or void in a walk over types.
template <class Bound, class L, class Out>
void walk_layer(L* layer, const std::string& prefix, Out& out) {
  using Spec = typename Bound::spec;
  using In = typename Bound::input_type;
  constexpr bool objects = !std::is_void_v<L>;
  if constexpr (is_block<Spec>) {
    if constexpr (objects)
      walk_path<In, Spec>(&layer->chain(), prefix, out);
    else
      walk_path<In, Spec, void>(nullptr, prefix, out);
  } else if constexpr (is_residual<Spec>) {
    const std::string branch = prefix + path_part<typename Spec::branch>("branch.");
    const std::string shortcut = prefix + path_part<typename Spec::shortcut>("shortcut.");
    if constexpr (objects) {
      walk_path<In, typename Spec::branch>(&layer->branch(), branch, out);
      walk_path<In, typename Spec::shortcut>(&layer->shortcut(), shortcut, out);
    } else {
      walk_path<In, typename Spec::branch, void>(nullptr, branch, out);
      walk_path<In, typename Spec::shortcut, void>(nullptr, shortcut, out);
    }
  } else if constexpr (!std::is_void_v<typename branches_of<Spec>::type>) {
    using paths = typename branches_of<Spec>::type;
    boost::mp11::mp_for_each<boost::mp11::mp_iota<boost::mp11::mp_size<paths>>>([&](auto k) {
      constexpr std::size_t K = decltype(k)::value;
      using Path = boost::mp11::mp_at_c<paths, K>;
      const std::string part = prefix + path_part<Path>(std::to_string(K) + ".");
      if constexpr (objects)
        walk_path<In, Path>(&layer->template branch<K>(), part, out);
      else
        walk_path<In, Path, void>(nullptr, part, out);
    });
  } else if constexpr (std::is_same_v<Out, std::vector<GeneratorEntry>>) {
    if constexpr (objects && requires(L & l) { l.generator(); })
      out.push_back({prefix.substr(0, prefix.size() - 1), &layer->generator()});
  } else {
    using shapes = typename Bound::parameter_shapes;
    static_assert(
        requires { Spec::parameter_names[0]; } || boost::mp11::mp_size<shapes>::value <= 2,
        "a layer with more than a weight and a bias needs its own state_dict names");
    boost::mp11::mp_for_each<boost::mp11::mp_iota<boost::mp11::mp_size<shapes>>>([&](auto k) {
      constexpr std::size_t K = decltype(k)::value;
      StateEntry e{prefix + std::string(parameter_name<Spec>(K)),
                   typenet::detail::dims_of<boost::mp11::mp_at_c<shapes, K>>()};
      e.conv2d_weight = is_conv2d<Spec> && K == 0;
      if constexpr (objects) set_values(e, layer->parameters()[K].value.data());
      out.push_back(std::move(e));
    });
    if constexpr (has_running_stats<Spec>) {
      using channels = boost::mp11::mp_at_c<shapes, 0>;
      StateEntry mean{prefix + "running_mean", typenet::detail::dims_of<channels>()};
      StateEntry var{prefix + "running_var", typenet::detail::dims_of<channels>()};
      StateEntry count{prefix + "num_batches_tracked", {}};
      count.integer = true;
      if constexpr (objects) {
        set_values(mean, layer->running_mean().data());
        set_values(var, layer->running_var().data());
        count.count = &layer->num_batches_tracked();
      }
      out.push_back(std::move(mean));
      out.push_back(std::move(var));
      out.push_back(std::move(count));
    }
  }
}

// Layer K of a chain is "K." unless it is Named ("conv1.") or Inline (""). N is the chain's
// Network, or void in a walk over types.
template <class Layers, class N, class Out>
void walk_chain(N* network, const std::string& prefix, Out& out) {
  boost::mp11::mp_for_each<boost::mp11::mp_iota<boost::mp11::mp_size<Layers>>>([&](auto k) {
    constexpr std::size_t K = decltype(k)::value;
    using Bound = boost::mp11::mp_at_c<Layers, K>;
    using names = typenet::detail::unnamed<typename Bound::named_spec>;
    std::string own = prefix;
    if constexpr (names::named) {
      if (!names::name.empty()) {
        own += names::name;
        own += '.';
      }
    } else {
      own += std::to_string(K);
      own += '.';
    }
    if constexpr (std::is_void_v<N>)
      walk_layer<Bound, void>(nullptr, own, out);
    else
      walk_layer<Bound>(&network->template layer<K>(), own, out);
  });
}

// Every entry of a network, with pointers to its values (or every generator).
template <class Net, class T, Fusion F, class Out>
void walk_network(Network<Net, T, F>& network, Out& out) {
  if constexpr (Net::ok) walk_chain<typename Net::layers>(&network, "", out);
}
// Every entry's name and shape, from the type alone.
template <class Net>
void walk_types(std::vector<StateEntry>& out) {
  if constexpr (Net::ok) walk_chain<typename Net::layers, void>(nullptr, "", out);
}

}  // namespace typenet::io::detail
