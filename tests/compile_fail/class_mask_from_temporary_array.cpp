// The sibling of class_mask_from_temporary: a temporary std::array dangles the same way.
#include <array>
#include <typenet/shapes.hpp>
namespace tn = typenet;
int main() {
#ifdef TYPENET_SHOULD_FAIL
  const tn::ClassMask<1, 3> mask{std::array<int, 3>{0, 1, 2}};
#else
  const std::array<int, 3> classes{0, 1, 2};
  const tn::ClassMask<1, 3> mask{classes};
#endif
  return mask.classes.size() == 3 ? 0 : 1;
}
// expect: tn::ClassMask<H, W> views its class indices and does not own them
