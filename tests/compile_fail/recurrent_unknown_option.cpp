// ReLU is SimpleRNN's option only: LSTM's and GRU's gates have fixed activations.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32, tn::ReLU>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::SimpleRNN<32, tn::ReLU>, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: LSTM<Hidden, Options...> and GRU<Hidden, Options...> take as options only tn::ReturnSequences, tn::Bidirectional and tn::Bias<bool>
// expect: layer<0>.*LSTM<32, typenet::ReLU>
