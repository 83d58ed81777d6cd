// A type that is no Conv2D option.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::ReLU>>;
#else
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>>, tn::ReLU>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Conv2D<Out, Options...> takes as options only
// expect: Conv2D<8, typenet::Kernel<3.*typenet::ReLU>
