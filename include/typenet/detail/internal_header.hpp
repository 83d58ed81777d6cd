// Included first by every header under a detail/ folder. Those headers are typenet's internals:
// their names may change at any time, and some of them only work after the public header that
// uses them. A public header defines TYPENET_INTERNAL_HEADERS_ALLOWED before including one and
// restores it at its end (push_macro/pop_macro), so the door is open only inside typenet's own
// headers (Eigen's InternalHeaderCheck.h guards its src/ folders the same way).
#ifndef TYPENET_INTERNAL_HEADERS_ALLOWED
#error \
    "this is one of typenet's internal headers (a detail/ folder): include <typenet/typenet.hpp>, or the header outside detail/ in the same folder that declares what you use, instead"
#endif
