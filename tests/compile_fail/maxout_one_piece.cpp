// Maxout over one piece is a plain Dense layer.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<100>, tn::Maxout<10, 1>>;
#else
using Net = tn::Sequential<tn::Input<100>, tn::Maxout<10, 2>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Maxout<N, K> requires K >= 2 pieces
// expect: layer<0>.*pieces<1>
