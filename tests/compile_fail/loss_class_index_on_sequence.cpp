// Class labels for a network that returns a score vector at every step.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32, tn::ReturnSequences>,
                           tn::TimeDistributed<tn::Dense<10>>>;
#else
using Net = tn::Sequential<tn::Input<28, 28>, tn::LSTM<32>, tn::Dense<10>>;
#endif
using Objective = tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Net, tn::ClassIndex>;
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: a loss on tn::ClassIndex labels requires one score vector per sample, and this output is Steps x N
// expect: SoftmaxCrossEntropy.*output<28, 10>.*ClassIndex
