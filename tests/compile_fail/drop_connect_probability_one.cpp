// Dropping every weight.
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/drop_connect.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::DropConnect<tn::Dense<8>, std::ratio<1>>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::DropConnect<tn::Dense<8>, std::ratio<9, 10>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: DropConnect<Layer, P> requires 0 <= P < 1
