// A SimpleRNN's activation is tanh or ReLU (PyTorch's nonlinearity), not any activation spec.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::SimpleRNN<32, tn::Sigmoid>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::SimpleRNN<32, tn::ReLU>, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: SimpleRNN<Hidden, Options...> takes as options only tn::ReturnSequences, tn::Bidirectional, tn::Bias<bool> and its activation, tn::Tanh .the default. or tn::ReLU
// expect: layer<0>.*SimpleRNN<32, typenet::Sigmoid>
