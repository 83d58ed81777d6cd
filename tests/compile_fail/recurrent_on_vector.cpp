// A second recurrent layer after one that returned only its last state.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32>, tn::GRU<16>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32, tn::ReturnSequences>, tn::GRU<16>,
                           tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a Steps x Features sequence, not a vector: give the recurrent layer before it tn::ReturnSequences
// expect: layer<1>.*GRU<16>.*input<32>
