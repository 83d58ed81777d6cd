// An internal header (a detail/ folder) included on its own refuses with a sentence that names
// the way in, instead of failing later on a name it expected a public header to declare.
#ifdef TYPENET_SHOULD_FAIL
#include <typenet/spec/detail/checks.hpp>
#else
#include <typenet/shapes.hpp>
#endif
int main() {}
// expect: this is one of typenet's internal headers \(a detail/ folder\): include <typenet/typenet.hpp>, or the header outside detail/
