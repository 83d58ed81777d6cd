// typenet: a neural network's architecture as a C++ type. Include this one header.
#pragma once

// The checks first: the compiler names the include path of the header where a rule fails, and
// this keeps that path to two lines.
#include "typenet/spec/checks.hpp"
#include "typenet/spec/window_check.hpp"

#include "typenet/shapes.hpp"
