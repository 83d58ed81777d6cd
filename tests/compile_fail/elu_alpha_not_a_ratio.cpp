// An alpha given as a type that is not a std::ratio.
#include <ratio>
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::ReLU, tn::ELU<int>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::ReLU, tn::ELU<std::ratio<1, 2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: LeakyReLU<Slope> and ELU<Alpha> take their parameter as a std::ratio
// expect: layer<1>, typenet::ELU<int>
