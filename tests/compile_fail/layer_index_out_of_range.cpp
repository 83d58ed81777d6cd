// LeNet-style nets count layers from 0 after Input: a 3-layer net has no layer<3>.
#include <type_traits>
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<4>, tn::Dense<8>, tn::ReLU, tn::Dense<3>>;
#ifdef TYPENET_SHOULD_FAIL
using Layer = Net::layer<3>;
#else
using Layer = Net::layer<2>;
#endif
[[maybe_unused]] constexpr bool bound = !std::is_void_v<Layer>;
// expect: Net::layer<I> requires I < Net::depth
// expect: layer_index<.*, 3>
