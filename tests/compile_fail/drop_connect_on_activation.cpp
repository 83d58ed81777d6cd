// DropConnect around a layer without weights: it drops connections, and ReLU has none.
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/drop_connect.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::Dense<8>, tn::DropConnect<tn::ReLU>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::DropConnect<tn::Dense<8>>, tn::ReLU>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: DropConnect<Layer, P> requires Layer to be tn::Dense<N> or tn::Conv2D<...>
