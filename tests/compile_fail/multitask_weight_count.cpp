// MultiTask takes one weight per head: two weights for three heads would leave the third head
// untrained without a word.
#include <typenet/loss/multitask.hpp>
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<
    tn::Input<4>, tn::Dense<6>, tn::Tanh,
    tn::Heads<tn::Head<tn::Dense<3>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Dense<2>, tn::loss::MSE>, tn::Head<tn::Dense<2>, tn::loss::L1>>>;
#ifdef TYPENET_SHOULD_FAIL
const tn::loss::MultiTask<Net> loss{1.0, 0.5};
#else
const tn::loss::MultiTask<Net> loss{1.0, 0.5, 0.5};
#endif
// expect: tn::loss::MultiTask<Net> takes one weight per head of Net \(or none: all 1\)
// expect: MultiTask<.*Heads<
