// A ClassMask views its classes: made from a temporary vector it would dangle at the end of the
// statement, so that does not compile (a named vector and a temporary span do).
#include <span>
#include <typenet/shapes.hpp>
#include <vector>
namespace tn = typenet;
int main() {
  const std::vector<int> kept{0, 1, 1, 0};
  const tn::ClassMask<2, 2> from_span{std::span<const int>(kept)};
#ifdef TYPENET_SHOULD_FAIL
  const tn::ClassMask<2, 2> mask{std::vector<int>{0, 1, 1, 0}};
#else
  const tn::ClassMask<2, 2> mask{kept};
#endif
  return int(mask.classes.size() + from_span.classes.size()) == 8 ? 0 : 1;
}
// expect: tn::ClassMask<H, W> views its class indices and does not own them
// expect: keep it in a named variable
