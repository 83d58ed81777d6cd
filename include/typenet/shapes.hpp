// typenet's compile-time half: shapes, layer and loss specs, the graph (Sequential and the
// composite layers), summary. No Eigen, no numerics: what tests/static and tests/compile_fail
// need, and fast to compile.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

// The checks first: the compiler names the include path of the header where a rule fails, and
// this keeps that path to two lines.
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/window_check.hpp"

// After the two above, which it includes itself.
#include "typenet/graph/detail/topology_checks.hpp"

#include "typenet/graph/block.hpp"
#include "typenet/graph/concat.hpp"
#include "typenet/graph/heads.hpp"
#include "typenet/graph/replace_head.hpp"
#include "typenet/graph/residual.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/graph/summary.hpp"
#include "typenet/shape/geometry.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/adaptive_avg_pool2d.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/conv_transpose2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/drop_connect.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/global_avg_pool.hpp"
#include "typenet/spec/identity.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/local_response_norm.hpp"
#include "typenet/spec/loss.hpp"
#include "typenet/spec/maxout.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"
#include "typenet/spec/prelu.hpp"
#include "typenet/spec/recurrent.hpp"
#include "typenet/spec/shakeout.hpp"
#include "typenet/spec/softmax.hpp"
#include "typenet/spec/time_distributed.hpp"
#include "typenet/spec/upsample.hpp"
#include "typenet/spec/whiteout.hpp"

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
