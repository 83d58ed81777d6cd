// CIFAR-10/100 binary batches, record by record.
#include "typenet/data/cifar.hpp"

#include <string>

#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements part of the internal header
#include "typenet/data/detail/parse.hpp"

namespace typenet::data {

namespace detail {

namespace {
constexpr std::size_t image_bytes = 3 * 32 * 32;
}

void check_cifar_arguments(std::size_t files, std::size_t classes, std::size_t labels_per_record) {
  if (files == 0) throw DataError("read_cifar: no files given");
  if (labels_per_record != 1 && labels_per_record != 2)
    throw DataError("read_cifar: labels_per_record is " + std::to_string(labels_per_record) +
                    "; it must be 1 (CIFAR-10) or 2 (CIFAR-100: coarse and fine label)");
  if (classes == 0) throw DataError("read_cifar: 0 classes (a dataset needs at least one)");
  if (classes > max_classes)
    throw DataError("read_cifar: " + std::to_string(classes) + " classes is more than the " +
                    std::to_string(max_classes) +
                    " a dataset may have (typenet::data::max_classes)");
}

void parse_cifar(Source& source, std::size_t labels_per_record, Dataset& data) {
  const std::size_t record = labels_per_record + image_bytes;
  std::uint8_t bytes[2 + image_bytes];
  for (std::size_t r = 0;; ++r) {
    const std::size_t got = source.read(bytes, record);
    if (got == 0 && r == 0) source.fail("is empty (no CIFAR records)");
    if (got == 0) break;
    if (got < record)
      source.fail(std::to_string(r * record + got) + " bytes is not a whole number of " +
                  std::to_string(record) + "-byte CIFAR records (truncated or not CIFAR)");
    const std::size_t label = bytes[labels_per_record - 1];
    if (label >= data.classes)
      source.fail("label " + std::to_string(label) + " of record " + std::to_string(r) +
                  " is not below the " + std::to_string(data.classes) + " classes");
    data.labels.push_back(int(label));
    for (std::size_t i = 0; i < image_bytes; ++i)
      data.images.push_back(float(bytes[labels_per_record + i]) / 255.0f);
  }
}

}  // namespace detail

Dataset read_cifar(const std::vector<std::filesystem::path>& files, std::size_t classes,
                   std::size_t labels_per_record) {
  detail::check_cifar_arguments(files.size(), classes, labels_per_record);
  Dataset data;
  data.channels = 3;
  data.height = data.width = 32;
  data.classes = classes;
  for (const auto& path : files) {
    detail::FileSource source(path);
    detail::parse_cifar(source, labels_per_record, data);
  }
  data.check("read_cifar");
  return data;
}

}  // namespace typenet::data
