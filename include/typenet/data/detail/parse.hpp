// The readers' parsers, on bytes from a Source (source.hpp) or in memory: the path readers of
// idx.hpp, cifar.hpp and csv.hpp call them on a file, the fuzz harnesses (tests/fuzz/) on their
// inputs. Each throws DataError naming the source, and returns a dataset that passed `check`.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include "typenet/data/cifar.hpp"
#include "typenet/data/csv.hpp"
#include "typenet/data/dataset.hpp"
#include "typenet/data/detail/source.hpp"
#include "typenet/data/idx.hpp"

namespace typenet::data::detail {

// One IDX file (src/data/idx.cpp): the header, then the values it promises, then nothing.
IdxFile parse_idx(Source& source);
// An N x H x W image file and an N label file as load_idx combines them; the names are for
// the messages.
Dataset idx_dataset(const IdxFile& images, const std::string& images_name, const IdxFile& labels,
                    const std::string& labels_name, std::size_t classes);

// The arguments of read_cifar, checked (src/data/cifar.cpp).
void check_cifar_arguments(std::size_t files, std::size_t classes, std::size_t labels_per_record);
// Appends a CIFAR file's records to `data` (which has 3 x 32 x 32 samples and the classes).
void parse_cifar(Source& source, std::size_t labels_per_record, Dataset& data);

// A whole CSV text (src/data/csv.cpp); `name` starts the messages.
Dataset parse_csv(std::string_view text, const std::string& name, std::size_t label_column,
                  CsvOptions options);

}  // namespace typenet::data::detail
