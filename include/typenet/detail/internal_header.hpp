// Included first by every header under a detail/ folder. Those headers are typenet's internals:
// their names may change at any time, and some of them only work after the public header that
// uses them. A public header defines TYPENET_INTERNAL_HEADERS_ALLOWED before including one
// (as Eigen's InternalHeaderCheck.h does for its src/ folders).
#ifndef TYPENET_INTERNAL_HEADERS_ALLOWED
#error \
    "this is one of typenet's internal headers (a detail/ folder): include <typenet/typenet.hpp> or the public header that declares what you use (docs/design.md lists them) instead"
#endif
