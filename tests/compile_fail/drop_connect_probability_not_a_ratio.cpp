// A drop probability that is not a std::ratio (a double cannot be a template argument in
// every C++20 compiler).
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/drop_connect.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::DropConnect<tn::Dense<8>, float>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::DropConnect<tn::Dense<8>, tn::PerMille<300>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: DropConnect, Shakeout and Whiteout take their real-valued arguments as std::ratio
