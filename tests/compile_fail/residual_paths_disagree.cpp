// A residual branch that changes the channels cannot be added to an identity shortcut.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<64, 8, 8>, tn::Residual<tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>>>>;
#else
using Net =
    tn::Sequential<tn::Input<64, 8, 8>, tn::Residual<tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>>,
                                                     tn::Conv2D<128, tn::Kernel<1>>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires the branch and the shortcut to produce the same shape
// expect: layer<0>.*input<64, 8, 8>.*branch_output<128, 8, 8>.*shortcut_output<64, 8, 8>
