// CropConcat crops every branch to the last one (the up-sampled path); a skip smaller than
// that path cannot be cropped to it.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::Upsample<tn::Scale<4>>;
#else
using Up = tn::Upsample<tn::Scale<2>>;
#endif
using Net = tn::Sequential<
    tn::Input<3, 8, 8>,
    tn::CropConcat<tn::Identity, tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, Up>>>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: CropConcat<Branch...> crop does not fit
// expect: must be at least as large as the last one
// expect: layer<0>.*input<3, 8, 8>.*branch_output<3, 8, 8>.*branch_output<3, 16, 16>
