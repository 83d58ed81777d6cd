// Whiteout around Dropout: it adds noise to the inputs of a layer's connections, and Dropout has
// no connections (weights).
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/whiteout.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<16>, tn::Dense<8>, tn::Whiteout<tn::Dropout<std::ratio<1, 2>>>>;
#else
using Net =
    tn::Sequential<tn::Input<16>, tn::Whiteout<tn::Dense<8>>, tn::Dropout<std::ratio<1, 2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Whiteout<Layer, Sigma, Gamma, Lambda> requires Layer to be tn::Dense<N> or tn::Conv2D<...>
