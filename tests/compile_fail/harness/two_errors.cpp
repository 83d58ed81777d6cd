// Harness self-test: two broken networks give two errors, which the one-error rule must reject.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using First = tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>>;
using Second = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<4, tn::Kernel<5>>>;
[[maybe_unused]] constexpr bool checked = First::ok || Second::ok;
// expect: stride does not tile the padded input exactly
