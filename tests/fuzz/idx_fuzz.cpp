// libFuzzer harness of the IDX reader: any bytes as one IDX file. Inputs that start with gzip's
// magic go through a memory file and read_idx (zlib, the bounded file source); the others
// through the in-memory source. An accepted file must hold exactly what its header promises, and
// load_idx's combination of it (as images, or as labels) must pass the dataset invariants.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "typenet/data/idx.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // a test of the internal entry point
#include "invariants.hpp"
#include "typenet/data/detail/parse.hpp"

namespace data = typenet::data;
using typenet_fuzz::require;

namespace {

data::IdxFile read(const std::uint8_t* bytes, std::size_t size) {
  if (size >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
    static const int file = memfd_create("typenet-fuzz-idx", 0);
    require(file >= 0, "memfd_create");
    require(ftruncate(file, 0) == 0 && pwrite(file, bytes, size, 0) == ssize_t(size), "pwrite");
    return data::read_idx("/proc/self/fd/" + std::to_string(file));
  }
  data::detail::MemorySource source({bytes, size}, "fuzz.idx");
  return data::detail::parse_idx(source);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  data::IdxFile idx;
  try {
    idx = read(bytes, size);
  } catch (const data::DataError&) {
    return 0;
  }
  require(!idx.dims.empty() && idx.dims.size() <= 4, "a rank of 1 to 4");
  std::size_t count = 1;
  for (std::size_t dim : idx.dims) {
    require(dim > 0, "no zero dimension");
    count *= dim;
  }
  require(idx.values.size() == count, "as many values as the header promises");
  if (bytes[0] != 0x1f) require(size == 4 + 4 * idx.dims.size() + count, "no byte unread");

  const std::size_t classes = 10;
  if (idx.dims.size() == 3) {  // images, with labels 0
    const data::IdxFile labels{{idx.dims[0]}, std::vector<std::uint8_t>(idx.dims[0], 0)};
    const auto set = data::detail::idx_dataset(idx, "images", labels, "labels", classes);
    typenet_fuzz::require_dataset(set, idx.dims[0], 1, idx.dims[1], idx.dims[2], true);
  } else if (idx.dims.size() == 1) {  // labels, of 1 x 1 images
    const data::IdxFile images{{idx.dims[0], 1, 1}, std::vector<std::uint8_t>(idx.dims[0], 7)};
    try {
      const auto set = data::detail::idx_dataset(images, "images", idx, "labels", classes);
      typenet_fuzz::require_dataset(set, idx.dims[0], 1, 1, 1, true);
    } catch (const data::DataError&) {
      bool above = false;
      for (std::uint8_t label : idx.values) above = above || label >= classes;
      require(above, "labels are rejected only when one is not below the classes");
    }
  }
  return 0;
}
