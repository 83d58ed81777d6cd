// A Whiteout exponent whose noise would have no finite gradient at a zero weight.
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/whiteout.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<10>, tn::Whiteout<tn::Dense<8>, std::ratio<1, 10>, std::ratio<3, 2>>>;
#else
using Net =
    tn::Sequential<tn::Input<10>, tn::Whiteout<tn::Dense<8>, std::ratio<1, 10>, std::ratio<1, 2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Whiteout<Layer, Sigma, Gamma, Lambda> requires 0 <= Gamma <= 1
