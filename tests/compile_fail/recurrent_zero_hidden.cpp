// A recurrent layer without units.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::GRU<0, tn::Bidirectional>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::GRU<1, tn::Bidirectional>, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: a recurrent layer .SimpleRNN, LSTM, GRU. requires Hidden >= 1
// expect: layer<0>.*GRU<0, typenet::Bidirectional>.*hidden<0>
