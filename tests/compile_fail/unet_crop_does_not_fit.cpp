// U-Net's skip is centre-cropped to the up-sampled path: with valid convolutions a 21x21 input
// leaves the skip 17x17 beside an 8x8 path, an odd difference that has no centre crop.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
constexpr std::size_t size = 21;
#else
constexpr std::size_t size = 20;
#endif
using Conv3 = tn::Conv2D<2, tn::Kernel<3>>;
using Net = tn::Sequential<
    tn::Input<1, size, size>, Conv3, tn::ReLU, Conv3, tn::ReLU,
    tn::CropConcat<tn::Identity,
                   tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Floor>,
                             tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<4, tn::Kernel<3>>,
                             tn::ReLU, tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<2>>>>>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: CropConcat<Branch...> crop does not fit
// expect: odd number of rows or columns has no centre crop
// expect: layer<4>.*input<2, 17, 17>.*branch_output<2, 17, 17>.*branch_output<2, 8, 8>
