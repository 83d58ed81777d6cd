// A probability given as a type that is not a std::ratio.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<float>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<tn::PerMille<100>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Dropout<P> takes the drop probability as a std::ratio
// expect: layer<0>, typenet::Dropout<float>
