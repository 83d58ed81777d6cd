// A public header that uses internal headers closes the door behind it: an internal header
// included afterwards still refuses.
#include <typenet/spec/dense.hpp>
#ifdef TYPENET_SHOULD_FAIL
#include <typenet/layers/detail/weight_layer.hpp>
#else
#include <typenet/layers/dense.hpp>
#endif
int main() {}
// expect: this is one of typenet's internal headers \(a detail/ folder\): include <typenet/typenet.hpp>, or the header outside detail/
