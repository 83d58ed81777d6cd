// typenet: a neural network's architecture as a C++ type. Include this one header.
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
#include "typenet/expr/detail/tensor_check.hpp"
#include "typenet/graph/detail/topology_checks.hpp"

#include "typenet/shapes.hpp"

#include "typenet/data/augment.hpp"
#include "typenet/data/cifar.hpp"
#include "typenet/data/csv.hpp"
#include "typenet/data/dataset.hpp"
#include "typenet/data/idx.hpp"
#include "typenet/data/image.hpp"
#include "typenet/data/segmentation.hpp"
#include "typenet/expr/expr.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/init/init.hpp"
#include "typenet/io/atomic_file.hpp"
#include "typenet/io/png.hpp"
#include "typenet/io/weights.hpp"
#include "typenet/kernel/parallel.hpp"
#include "typenet/layers/drop_connect.hpp"
#include "typenet/layers/fold_batchnorm.hpp"
#include "typenet/layers/shakeout.hpp"
#include "typenet/layers/whiteout.hpp"
#include "typenet/loss/loss.hpp"
#include "typenet/loss/multitask.hpp"
#include "typenet/loss/segmentation.hpp"
#include "typenet/models/zoo.hpp"
#include "typenet/net/network.hpp"
#include "typenet/optim/clip.hpp"
#include "typenet/optim/optim.hpp"
#include "typenet/reg/reg.hpp"
#include "typenet/schedule/schedule.hpp"
#include "typenet/train/babysit.hpp"
#include "typenet/train/cross_validate.hpp"
#include "typenet/train/ensemble.hpp"
#include "typenet/train/evaluate.hpp"
#include "typenet/train/fit.hpp"
#include "typenet/train/lr_find.hpp"
#include "typenet/train/model.hpp"
#include "typenet/train/perceptron.hpp"
#include "typenet/train/plot.hpp"
#include "typenet/train/report.hpp"
#include "typenet/train/search_space.hpp"
#include "typenet/train/segmentation.hpp"
#include "typenet/train/tune.hpp"

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
