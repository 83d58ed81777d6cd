// Each head's loss must fit its own output: cross-entropy over class indices needs a vector of
// class scores, not the 4 x 4 map a convolutional head produces.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Box = tn::Head<tn::Conv2D<1, tn::Kernel<1>>, tn::loss::SoftmaxCrossEntropy>;
#else
using Box = tn::Head<tn::Conv2D<1, tn::Kernel<1>>, tn::loss::MSE>;
#endif
using Net = tn::Sequential<
    tn::Input<3, 4, 4>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
    tn::Heads<tn::Head<tn::Block<tn::Flatten, tn::Dense<10>>, tn::loss::SoftmaxCrossEntropy>, Box>>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: a loss on tn::ClassIndex labels requires a 1-D output of N >= 2 class
// expect: head_loss_fits<.*layer<2>.*head<1>
// expect: output<1, 4, 4>
// expect-within: 20
