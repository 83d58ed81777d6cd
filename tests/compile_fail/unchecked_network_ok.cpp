// docs/errors.md's example: a network only declared is checked by static_assert(Net::ok), and
// the rule's own sentence comes first.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Bad = tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>>;
static_assert(Bad::ok);  // true when every layer fits; its failure follows the real error
#else
using Bad = tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>>;
static_assert(Bad::ok);
#endif
// expect: stride does not tile the padded input exactly
// expect-errors: 2
// expect: layer<0>.*axis<'H'>.*input<3, 7, 7>.*pad<0>.*kernel<3>.*dilation<1>.*stride<3>
