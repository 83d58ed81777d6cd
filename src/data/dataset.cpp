// Dataset readers and transformations: the same for every network, compiled once.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "typenet/data/dataset.hpp"

namespace typenet::data {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw DataError(path.string() + ": " + what);
}

// The whole file, inflated if it is gzip (zlib reads plain files through unchanged).
std::vector<std::uint8_t> read_all(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) fail(path, "no such file");
  gzFile file = gzopen(path.string().c_str(), "rb");
  if (file == nullptr) fail(path, "cannot open");
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[1 << 16];
  for (;;) {
    const int n = gzread(file, chunk, sizeof chunk);
    if (n < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      fail(path, "corrupt compressed data (" + message + ")");
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  // A gzip stream cut short reads as a clean end of file in some zlib versions; gzclose reports it.
  const int closed = gzclose(file);
  if (closed == Z_BUF_ERROR) fail(path, "truncated compressed data (the gzip stream ends early)");
  if (closed != Z_OK) fail(path, "error reading compressed data");
  return bytes;
}

std::uint32_t big_endian(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}

}  // namespace

IdxFile read_idx(const std::filesystem::path& path) {
  const auto bytes = read_all(path);
  if (bytes.size() < 4)
    fail(path, "too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0)
    fail(path, "not an IDX file (the magic number must start with two zero bytes)");
  if (bytes[2] != 0x08)
    fail(path, "IDX element type " + std::to_string(bytes[2]) +
                   " is not supported (only 0x08, unsigned bytes, as in (Fashion-)MNIST)");
  const std::size_t rank = bytes[3];
  if (rank == 0 || rank > 4) fail(path, "IDX rank " + std::to_string(rank) + " is not 1 to 4");
  const std::size_t header = 4 + 4 * rank;
  if (bytes.size() < header) fail(path, "truncated IDX header");
  IdxFile idx;
  std::size_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::size_t dim = big_endian(bytes.data() + 4 + 4 * d);
    if (dim == 0) fail(path, "IDX dimension " + std::to_string(d) + " is 0");
    idx.dims.push_back(dim);
    if (count > (std::size_t(1) << 40) / dim) fail(path, "IDX dimensions are implausibly large");
    count *= dim;
  }
  if (bytes.size() - header < count)
    fail(path, "truncated: the header promises " + std::to_string(count) + " values but " +
                   std::to_string(bytes.size() - header) + " follow");
  if (bytes.size() - header > count)
    fail(path, std::to_string(bytes.size() - header - count) +
                   " unexpected bytes after the data the header describes");
  idx.values.assign(bytes.begin() + std::ptrdiff_t(header), bytes.end());
  return idx;
}

Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::size_t classes) {
  const IdxFile x = read_idx(images);
  const IdxFile y = read_idx(labels);
  if (x.dims.size() != 3)
    fail(images, "expected N x H x W images, found rank " + std::to_string(x.dims.size()));
  if (y.dims.size() != 1)
    fail(labels, "expected N labels, found rank " + std::to_string(y.dims.size()));
  if (x.dims[0] != y.dims[0])
    fail(labels, std::to_string(y.dims[0]) + " labels for the " + std::to_string(x.dims[0]) +
                     " images of " + images.string());
  Dataset data;
  data.channels = 1;
  data.height = x.dims[1];
  data.width = x.dims[2];
  data.classes = classes;
  data.images.resize(x.values.size());
  std::transform(x.values.begin(), x.values.end(), data.images.begin(),
                 [](std::uint8_t v) { return float(v) / 255.0f; });
  data.labels.resize(y.values.size());
  for (std::size_t i = 0; i < y.values.size(); ++i) {
    if (y.values[i] >= classes)
      fail(labels, "label " + std::to_string(y.values[i]) + " of sample " + std::to_string(i) +
                       " is not below the " + std::to_string(classes) + " classes");
    data.labels[i] = y.values[i];
  }
  return data;
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

Dataset read_cifar(const std::vector<std::filesystem::path>& files, std::size_t classes,
                   std::size_t labels_per_record) {
  constexpr std::size_t image_bytes = 3 * 32 * 32;
  const std::size_t record = labels_per_record + image_bytes;
  Dataset data;
  data.channels = 3;
  data.height = data.width = 32;
  data.classes = classes;
  for (const auto& path : files) {
    const auto bytes = read_all(path);
    if (bytes.empty() || bytes.size() % record != 0)
      fail(path, std::to_string(bytes.size()) + " bytes is not a whole number of " +
                     std::to_string(record) + "-byte CIFAR records (truncated or not CIFAR)");
    for (std::size_t r = 0; r < bytes.size() / record; ++r) {
      const std::uint8_t* p = bytes.data() + r * record;
      const std::size_t label = p[labels_per_record - 1];
      if (label >= classes)
        fail(path, "label " + std::to_string(label) + " of record " + std::to_string(r) +
                       " is not below the " + std::to_string(classes) + " classes");
      data.labels.push_back(int(label));
      for (std::size_t i = 0; i < image_bytes; ++i)
        data.images.push_back(float(p[labels_per_record + i]) / 255.0f);
    }
  }
  return data;
}

Dataset read_csv(const std::filesystem::path& path, std::size_t label_column) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open");
  Dataset data;
  std::string line;
  std::size_t line_number = 0;
  std::size_t columns = 0;
  int max_label = -1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    bool numeric = true;
    while (std::getline(cells, cell, ',')) {
      try {
        std::size_t used = 0;
        row.push_back(std::stod(cell, &used));
        if (cell.find_first_not_of(" \t\r", used) != std::string::npos) numeric = false;
      } catch (const std::exception&) {
        numeric = false;
      }
    }
    if (!numeric) {
      if (line_number == 1 && data.labels.empty()) continue;  // a header
      fail(path, "line " + std::to_string(line_number) + " has a value that is not a number");
    }
    if (columns == 0) {
      columns = row.size();
      if (label_column >= columns)
        fail(path, "label column " + std::to_string(label_column) + " but only " +
                       std::to_string(columns) + " columns");
    } else if (row.size() != columns) {
      fail(path, "line " + std::to_string(line_number) + " has " + std::to_string(row.size()) +
                     " columns, the first row " + std::to_string(columns));
    }
    const double label = row[label_column];
    if (label < 0 || label != std::floor(label))
      fail(path, "line " + std::to_string(line_number) + ": label " + std::to_string(label) +
                     " is not a class index");
    data.labels.push_back(int(label));
    max_label = std::max(max_label, int(label));
    for (std::size_t c = 0; c < columns; ++c)
      if (c != label_column) data.images.push_back(float(row[c]));
  }
  if (data.labels.empty()) fail(path, "no data rows");
  data.channels = data.height = 1;
  data.width = columns - 1;
  data.classes = std::size_t(max_label + 1);
  return data;
}

Dataset Dataset::from_arrays(std::vector<float> images, std::vector<int> labels,
                             std::size_t channels, std::size_t height, std::size_t width,
                             std::size_t classes) {
  const std::size_t sample = channels * height * width;
  if (sample == 0) throw DataError("Dataset::from_arrays: a sample of size 0");
  if (images.size() != labels.size() * sample)
    throw DataError("Dataset::from_arrays: " + std::to_string(images.size()) + " values for " +
                    std::to_string(labels.size()) + " samples of " + std::to_string(channels) +
                    "x" + std::to_string(height) + "x" + std::to_string(width));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || std::size_t(labels[i]) >= classes)
      throw DataError("Dataset::from_arrays: label " + std::to_string(labels[i]) + " of sample " +
                      std::to_string(i) + " is not in [0, " + std::to_string(classes) + ")");
  Dataset data;
  data.channels = channels;
  data.height = height;
  data.width = width;
  data.classes = classes;
  data.images = std::move(images);
  data.labels = std::move(labels);
  return data;
}

Dataset Dataset::subset(std::span<const std::size_t> indices) const {
  Dataset out;
  out.channels = channels;
  out.height = height;
  out.width = width;
  out.classes = classes;
  out.images.reserve(indices.size() * sample_size());
  out.labels.reserve(indices.size());
  for (std::size_t i : indices) {
    if (i >= size())
      throw std::out_of_range("Dataset::subset: index " + std::to_string(i) + " of a dataset of " +
                              std::to_string(size()));
    const auto sample = image(i);
    out.images.insert(out.images.end(), sample.begin(), sample.end());
    out.labels.push_back(labels[i]);
  }
  return out;
}

Dataset Dataset::head(std::size_t n) const {
  std::vector<std::size_t> indices(std::min(n, size()));
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return subset(indices);
}

std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed) {
  if (!(fraction >= 0 && fraction <= 1))
    throw std::invalid_argument("data::split: the fraction " + std::to_string(fraction) +
                                " is not in [0, 1]");
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const auto cut = std::size_t(std::llround(fraction * double(order.size())));
  return {data.subset(std::span(order).first(cut)), data.subset(std::span(order).subspan(cut))};
}

Dataset pad(const Dataset& data, std::size_t pad) {
  Dataset out = data;
  out.height = data.height + 2 * pad;
  out.width = data.width + 2 * pad;
  out.images.assign(data.size() * out.sample_size(), 0.0f);
  for (std::size_t n = 0; n < data.size(); ++n)
    for (std::size_t c = 0; c < data.channels; ++c)
      for (std::size_t h = 0; h < data.height; ++h) {
        const float* from =
            data.images.data() + ((n * data.channels + c) * data.height + h) * data.width;
        float* to =
            out.images.data() + ((n * out.channels + c) * out.height + h + pad) * out.width + pad;
        std::copy(from, from + data.width, to);
      }
  return out;
}

Normalizer Normalizer::fit(const Dataset& data) {
  Normalizer n;
  const std::size_t plane = data.height * data.width;
  n.mean.assign(data.channels, 0);
  n.stddev.assign(data.channels, 0);
  for (std::size_t c = 0; c < data.channels; ++c) {
    double sum = 0, squares = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const float* p = data.images.data() + (i * data.channels + c) * plane;
      for (std::size_t k = 0; k < plane; ++k) {
        sum += p[k];
        squares += double(p[k]) * p[k];
      }
    }
    const double count = double(data.size() * plane);
    const double mean = sum / count;
    n.mean[c] = float(mean);
    n.stddev[c] = float(std::sqrt(std::max(squares / count - mean * mean, 1e-12)));
  }
  return n;
}

void Normalizer::apply(Dataset& data) const {
  if (mean.size() != data.channels)
    throw std::invalid_argument("Normalizer::apply: fitted on " + std::to_string(mean.size()) +
                                " channels, the data has " + std::to_string(data.channels));
  const std::size_t plane = data.height * data.width;
  for (std::size_t i = 0; i < data.size(); ++i)
    for (std::size_t c = 0; c < data.channels; ++c) {
      float* p = data.images.data() + (i * data.channels + c) * plane;
      for (std::size_t k = 0; k < plane; ++k) p[k] = (p[k] - mean[c]) / stddev[c];
    }
}

std::vector<float> one_hot(const Dataset& data) {
  std::vector<float> rows(data.size() * data.classes, 0.0f);
  for (std::size_t i = 0; i < data.size(); ++i)
    rows[i * data.classes + std::size_t(data.labels[i])] = 1;
  return rows;
}

}  // namespace typenet::data
