// Concat joins along channels: a 3x3 unpadded branch shrinks the image, a 1x1 one does not.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>,
                           tn::Concat<tn::Conv2D<8, tn::Kernel<3>>, tn::Conv2D<8, tn::Kernel<1>>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::Concat<tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>,
                                                          tn::Conv2D<8, tn::Kernel<1>>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Concat<Branch...> requires every branch to produce the same height and width
// expect: layer<0>.*input<4, 8, 8>.*branch_output<8, 6, 6>.*branch_output<8, 8, 8>
