// CIFAR-10 and CIFAR-100 binary batches; implemented in src/data/cifar.cpp.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "typenet/data/dataset.hpp"

namespace typenet::data {

// Per record 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine) label bytes and 3 x 32 x 32 image
// bytes; `labels_per_record` says which (the fine label is used). Files may be gzip-compressed.
// Returns the records of all `files` in order, images scaled to [0, 1] (3 x 32 x 32 samples).
// Throws DataError for an empty file list, `classes` 0 or above max_classes, `labels_per_record`
// other than 1 or 2, a label byte not below `classes` (naming file and record), a file that is
// empty, not a whole number of records, more than max_file_bytes, a directory or a device.
Dataset read_cifar(const std::vector<std::filesystem::path>& files, std::size_t classes = 10,
                   std::size_t labels_per_record = 1);

}  // namespace typenet::data
