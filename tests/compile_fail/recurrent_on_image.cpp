// An LSTM straight on a one-channel image: a recurrent layer reads Steps x Features.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::LSTM<32>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32>, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a Steps x Features sequence, not a C x H x W image
// expect: layer<0>.*LSTM<32>.*input<1, 28, 28>
