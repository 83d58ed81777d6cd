// Dense after a layer that returns every step's state: per step it must be TimeDistributed.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32, tn::ReturnSequences>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32, tn::ReturnSequences>,
                           tn::TimeDistributed<tn::Dense<10>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: and this is a Steps x Features sequence: write tn::TimeDistributed<tn::Dense<N>> to apply it at every step
// expect: layer<1>.*Dense<10>.*input<28, 32>
