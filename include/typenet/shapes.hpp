// typenet's compile-time half: shapes, layer specs, Sequential, summary, loss/label checks.
// No Eigen, no numerics: what tests/static and tests/compile_fail need, and fast to compile.
#pragma once

// The checks first: the compiler names the include path of the header where a rule fails, and
// this keeps that path to two lines.
#include "typenet/spec/checks.hpp"
#include "typenet/spec/window_check.hpp"

#include "typenet/graph/sequential.hpp"
#include "typenet/graph/summary.hpp"
#include "typenet/graph/topology.hpp"
#include "typenet/loss/label.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/conv_transpose.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/layer.hpp"
#include "typenet/spec/normalization.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool.hpp"
#include "typenet/spec/resize.hpp"
