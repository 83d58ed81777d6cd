// ReplaceHead<Net, Head...>: transfer learning's new classifier, at the type level.
//
//   using Pretrained = tn::models::LeNet5<10>;
//   using Five = tn::ReplaceHead<Pretrained, tn::Dense<5>>;   // LeNet-5 with a 5-class head
//
// The layers before the head keep their positions, so their state_dict names stay Net's, and
// load_weights(model, pretrained_file, {.strict = false}) loads them and reports the head.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "typenet/graph/sequential.hpp"

namespace typenet {

namespace detail {
template <class Net, class... Head>
struct replace_head {
  static_assert(sizeof(Net) == 0, "ReplaceHead<Net, Head...> requires Net to be a Sequential<...>");
};
template <class... Arguments, class... Head>
struct replace_head<Sequential<Arguments...>, Head...> {
  static_assert(
      sizeof...(Arguments) >= 2,
      "ReplaceHead<Net, Head...> requires Net to have a layer after Input<...> to replace");
  static_assert(sizeof...(Head) >= 1, "ReplaceHead<Net, Head...> requires at least one new layer");
  using type = boost::mp11::mp_rename<
      boost::mp11::mp_append<
          boost::mp11::mp_take_c<boost::mp11::mp_list<Arguments...>,
                                 (sizeof...(Arguments) > 1 ? sizeof...(Arguments) - 1
                                                           : sizeof...(Arguments))>,
          boost::mp11::mp_list<Head...>>,
      Sequential>;
};
}  // namespace detail

// Net (a Sequential) with its last layer replaced by the layers Head...
template <class Net, class... Head>
using ReplaceHead = typename detail::replace_head<Net, Head...>::type;

}  // namespace typenet
