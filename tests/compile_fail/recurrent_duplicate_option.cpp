// Two activations for one SimpleRNN.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::SimpleRNN<32, tn::ReLU, tn::Tanh>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::SimpleRNN<32, tn::Tanh>, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: a recurrent layer .SimpleRNN, LSTM, GRU. takes each option at most once
// expect: layer<0>.*SimpleRNN<32, typenet::ReLU, typenet::Tanh>
