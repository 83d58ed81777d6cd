// 2x2 pooling of a 7x7 input leaves a row over; PyTorch would silently drop it.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 7, 7>, tn::MaxPool2D<tn::Kernel<2>>>;
#else
using Net = tn::Sequential<tn::Input<4, 7, 7>, tn::MaxPool2D<tn::Kernel<2>, tn::Floor>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: stride does not tile the padded input exactly
// expect: layer<0>.*MaxPool2D.*input<4, 7, 7>.*kernel<2>.*stride<2>
