// A mistake inside a branch is reported by the inner layer's own rule, once; the layers after
// it (batch norm included) and the Residual stay silent.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Branch = tn::Block<tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>, tn::BatchNorm, tn::PReLU>;
#else
using Branch = tn::Block<tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>, tn::BatchNorm, tn::PReLU>;
#endif
using Net = tn::Sequential<tn::Input<8, 7, 7>,
                           tn::Residual<Branch, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>>,
                           tn::BatchNorm>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: stride does not tile the padded input exactly
// expect: layer<0>.*input<8, 7, 7>.*kernel<3>.*stride<3>
// expect-within: 20
