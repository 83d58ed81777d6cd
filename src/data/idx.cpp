// IDX files ((Fashion-)MNIST): the header first, then exactly the values it promises.
#include "typenet/data/idx.hpp"

#include <string>

#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements part of the internal header
#include "typenet/data/detail/parse.hpp"

namespace typenet::data {

namespace {

std::uint32_t big_endian(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}

void check_classes(const std::string& where, std::size_t classes) {
  if (classes == 0) throw DataError(where + ": 0 classes (a dataset needs at least one)");
  if (classes > max_classes)
    throw DataError(where + ": " + std::to_string(classes) + " classes is more than the " +
                    std::to_string(max_classes) +
                    " a dataset may have (typenet::data::max_classes)");
}

}  // namespace

namespace detail {

IdxFile parse_idx(Source& source) {
  std::uint8_t magic[4];
  const std::size_t got = source.read(magic, 4);
  if (got < 4) source.fail("too short for an IDX header (" + std::to_string(got) + " bytes)");
  if (magic[0] != 0 || magic[1] != 0)
    source.fail("not an IDX file (the magic number must start with two zero bytes)");
  if (magic[2] != 0x08)
    source.fail("IDX element type " + std::to_string(magic[2]) +
                " is not supported (only 0x08, unsigned bytes, as in (Fashion-)MNIST)");
  const std::size_t rank = magic[3];
  if (rank == 0 || rank > 4) source.fail("IDX rank " + std::to_string(rank) + " is not 1 to 4");
  std::uint8_t dims[16];
  if (source.read(dims, 4 * rank) < 4 * rank) source.fail("truncated IDX header");
  IdxFile idx;
  std::uint64_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::uint64_t dim = big_endian(dims + 4 * d);
    if (dim == 0) source.fail("IDX dimension " + std::to_string(d) + " is 0");
    idx.dims.push_back(std::size_t(dim));
    count *= dim;  // below 2^64: each factor is below 2^32 and the product so far below 2^32
    if (count > max_file_bytes)
      source.fail("the IDX dimensions promise more than " + std::to_string(max_file_bytes) +
                  " values (typenet::data::max_file_bytes, 4 GiB)");
  }
  const std::size_t values = source.append(idx.values, std::size_t(count));
  if (values < count)
    source.fail("truncated: the header promises " + std::to_string(count) + " values but " +
                std::to_string(values) + " follow");
  source.expect_end("the " + std::to_string(count) + " values the header describes");
  return idx;
}

Dataset idx_dataset(const IdxFile& x, const std::string& images_name, const IdxFile& y,
                    const std::string& labels_name, std::size_t classes) {
  check_classes("load_idx(" + labels_name + ")", classes);
  if (x.dims.size() != 3)
    throw DataError(images_name + ": expected N x H x W images, found rank " +
                    std::to_string(x.dims.size()));
  if (y.dims.size() != 1)
    throw DataError(labels_name + ": expected N labels, found rank " +
                    std::to_string(y.dims.size()));
  if (x.dims[0] != y.dims[0])
    throw DataError(labels_name + ": " + std::to_string(y.dims[0]) + " labels for the " +
                    std::to_string(x.dims[0]) + " images of " + images_name);
  Dataset data;
  data.channels = 1;
  data.height = x.dims[1];
  data.width = x.dims[2];
  data.classes = classes;
  data.images.resize(x.values.size());
  for (std::size_t i = 0; i < x.values.size(); ++i) data.images[i] = float(x.values[i]) / 255.0f;
  data.labels.resize(y.values.size());
  for (std::size_t i = 0; i < y.values.size(); ++i) {
    if (y.values[i] >= classes)
      throw DataError(labels_name + ": label " + std::to_string(y.values[i]) + " of sample " +
                      std::to_string(i) + " is not below the " + std::to_string(classes) +
                      " classes");
    data.labels[i] = y.values[i];
  }
  data.check("load_idx(" + images_name + ")");
  return data;
}

}  // namespace detail

IdxFile read_idx(const std::filesystem::path& path) {
  detail::FileSource source(path);
  return detail::parse_idx(source);
}

Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::size_t classes) {
  check_classes("load_idx(" + labels.string() + ")", classes);
  const IdxFile y = read_idx(labels);  // the smaller file first: a bad one fails fast
  const IdxFile x = read_idx(images);
  return detail::idx_dataset(x, images.string(), y, labels.string(), classes);
}

namespace {
TrainTest idx_pair(const std::filesystem::path& dir) {
  auto find = [&](const std::string& stem) {
    for (const char* suffix : {".gz", ""}) {
      const auto path = dir / (stem + suffix);
      if (std::filesystem::exists(path)) return path;
    }
    throw DataError((dir / (stem + ".gz")).string() +
                    ": no such file (for Fashion-MNIST: apt-get install dataset-fashion-mnist)");
  };
  return {load_idx(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte")),
          load_idx(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"))};
}
}  // namespace

TrainTest fashion_mnist(const std::filesystem::path& directory) { return idx_pair(directory); }
TrainTest mnist(const std::filesystem::path& directory) { return idx_pair(directory); }

}  // namespace typenet::data
