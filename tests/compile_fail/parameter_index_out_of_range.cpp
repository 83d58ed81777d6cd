// A ReLU has no parameter tensors.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<4>, tn::Dense<8>, tn::ReLU, tn::Dense<3>>;
#ifdef TYPENET_SHOULD_FAIL
using Weight = Net::layer<1>::parameter_shape<0>;
#else
using Weight = Net::layer<0>::parameter_shape<0>;
#endif
[[maybe_unused]] constexpr std::size_t size = Weight::size;
// expect: layer::parameter_shape<K> requires K < the layer's number of parameter tensors
