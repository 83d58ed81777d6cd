// libFuzzer harness of the CIFAR reader. The first three bytes are read_cifar's arguments (the
// class count, labels per record mod 4, the file count mod 3); the rest is split in two halves,
// the files (one file: the whole rest). Accepted records must make a dataset with the
// invariants, one sample per whole record.
#include <cstdint>
#include <vector>

#include "typenet/data/cifar.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // a test of the internal entry point
#include "invariants.hpp"
#include "typenet/data/detail/parse.hpp"

namespace data = typenet::data;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t classes = bytes[0], labels_per_record = bytes[1] % 4, files = bytes[2] % 3;
  const std::span<const std::uint8_t> rest(bytes + 3, size - 3);
  std::vector<std::span<const std::uint8_t>> contents;
  if (files == 1) contents = {rest};
  if (files == 2) contents = {rest.first(rest.size() / 2), rest.subspan(rest.size() / 2)};
  data::Dataset set;
  set.channels = 3;
  set.height = set.width = 32;
  set.classes = classes;
  std::size_t records = 0;
  try {
    data::detail::check_cifar_arguments(files, classes, labels_per_record);
    for (const auto& content : contents) {
      data::detail::MemorySource source(content, "fuzz.bin");
      data::detail::parse_cifar(source, labels_per_record, set);
      records += content.size() / (labels_per_record + 3072);
    }
  } catch (const data::DataError&) {
    return 0;
  }
  typenet_fuzz::require(
      files > 0 && classes > 0 && (labels_per_record == 1 || labels_per_record == 2),
      "only valid arguments are accepted");
  for (const auto& content : contents)
    typenet_fuzz::require(!content.empty() && content.size() % (labels_per_record + 3072) == 0,
                          "only whole records are accepted");
  typenet_fuzz::require_dataset(set, records, 3, 32, 32, true);
  return 0;
}
