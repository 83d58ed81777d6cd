// Reading and writing safetensors files: the same for every network, compiled once.
#include "typenet/io/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

#include "typenet/io/atomic_file.hpp"

namespace typenet::io {

static_assert(std::endian::native == std::endian::little,
              "typenet's safetensors code copies little-endian data as it is in memory");

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& file, const std::string& what) {
  throw WeightsError(file + ": " + what);
}

// JSON SAX events that only note the first key repeated in the top-level object.
struct TopLevelKeys {
  std::size_t depth = 0;
  std::set<std::string> names;
  std::string repeated;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return ++depth, true; }
  bool end_object() { return --depth, true; }
  bool start_array(std::size_t) { return ++depth, true; }
  bool end_array() { return --depth, true; }
  bool key(json::string_t& name) {
    if (depth == 1 && repeated.empty() && !names.insert(name).second) repeated = name;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }
};

bool parse_dtype(const std::string& text, DType& dtype) {
  for (DType d : {DType::F16, DType::BF16, DType::F32, DType::F64, DType::I64})
    if (text == to_string(d)) {
      dtype = d;
      return true;
    }
  return false;
}

// IEEE 754 half precision to float, subnormals, infinities and NaN included.
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = std::uint32_t(h >> 15) << 31;
  const std::uint32_t exponent = (h >> 10) & 0x1f;
  const std::uint32_t mantissa = h & 0x3ff;
  if (exponent == 0) {
    const float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  const std::uint32_t bits = exponent == 0x1f ? sign | 0x7f800000u | (mantissa << 13)
                                              : sign | ((exponent + 112) << 23) | (mantissa << 13);
  return std::bit_cast<float>(bits);
}

template <class T>
void convert(const Safetensors& file, const TensorInfo& t, std::span<T> out) {
  if (out.size() != t.elements())
    fail(file.name(), "tensor '" + t.name + "' has " + std::to_string(t.elements()) +
                          " elements, the destination " + std::to_string(out.size()));
  const auto bytes = file.data(t);
  const auto load = [&](std::size_t i, auto value) {
    std::memcpy(&value, bytes.data() + i * sizeof value, sizeof value);
    return value;
  };
  for (std::size_t i = 0; i < out.size(); ++i) switch (t.dtype) {
      case DType::F16:
        out[i] = T(half_to_float(load(i, std::uint16_t{})));
        break;
      case DType::BF16:
        out[i] = T(std::bit_cast<float>(std::uint32_t(load(i, std::uint16_t{})) << 16));
        break;
      case DType::F32:
        out[i] = T(load(i, float{}));
        break;
      case DType::F64:
        out[i] = T(load(i, double{}));
        break;
      case DType::I64:
        fail(file.name(), "tensor '" + t.name + "' holds integers (I64), not weights");
    }
}

}  // namespace

std::string_view to_string(DType dtype) {
  switch (dtype) {
    case DType::F16:
      return "F16";
    case DType::BF16:
      return "BF16";
    case DType::F32:
      return "F32";
    case DType::F64:
      return "F64";
    case DType::I64:
      return "I64";
  }
  return "?";
}

std::size_t size_of(DType dtype) {
  switch (dtype) {
    case DType::F16:
    case DType::BF16:
      return 2;
    case DType::F32:
      return 4;
    case DType::F64:
    case DType::I64:
      return 8;
  }
  return 0;
}

std::size_t TensorInfo::elements() const {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

Safetensors Safetensors::read(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) fail(name, "no such file");
  if (std::filesystem::is_directory(status)) fail(name, "is a directory");
  if (!std::filesystem::is_regular_file(status)) fail(name, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(name, "cannot open");
  // The size the file system states bounds what is read: /dev/zero-like files are refused above.
  const auto size = std::filesystem::file_size(path, error);
  if (error) fail(name, "cannot tell its size");
  std::vector<std::uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  if (std::size_t(in.gcount()) != size) fail(name, "read error (the file changed while read?)");
  return parse(bytes, name);
}

Safetensors Safetensors::parse(std::span<const std::uint8_t> bytes, std::string name) {
  Safetensors file;
  file.name_ = std::move(name);
  const std::string& n = file.name_;
  if (bytes.size() < 8)
    fail(n, "too short for a safetensors file (" + std::to_string(bytes.size()) +
                " bytes; the header length alone takes 8)");
  std::uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = header << 8 | bytes[std::size_t(i)];
  if (header > max_header_bytes)
    fail(n, "the header length is " + std::to_string(header) +
                " bytes, above the format's limit of 100 MB (not a safetensors file?)");
  if (header > bytes.size() - 8)
    fail(n, "truncated: the header length is " + std::to_string(header) + " bytes but only " +
                std::to_string(bytes.size() - 8) + " follow");
  const auto text = bytes.subspan(8, std::size_t(header));
  if (header < 2 || text[0] != '{') fail(n, "the header is not a JSON object");
  // JSON keeps the last of two equal keys: a tensor named twice would hide its first entry
  // from the offset checks, so a repeated name at the top level is an error.
  // A SAX pass finds them: nlohmann's parser callback rescans the whole top-level object after
  // each entry, quadratic in the entries (100,000 zero-size tensors took minutes).
  const json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) fail(n, "the header is not a valid JSON object");
  TopLevelKeys keys;
  json::sax_parse(text.begin(), text.end(), &keys);
  if (!keys.repeated.empty()) fail(n, "the header names '" + keys.repeated + "' twice");
  file.data_start_ = 8 + std::size_t(header);
  const std::size_t data_size = bytes.size() - file.data_start_;

  for (const auto& [key, value] : root.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) fail(n, "__metadata__ is not an object of strings");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string()) fail(n, "__metadata__ entry '" + k + "' is not a string");
        file.metadata_[k] = v.get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor '" + key + "'";
    if (key.empty()) fail(n, "a tensor has an empty name");
    if (!value.is_object()) fail(n, where + " is not an object");
    const auto dtype = value.find("dtype");
    const auto shape = value.find("shape");
    const auto offsets = value.find("data_offsets");
    if (dtype == value.end() || !dtype->is_string()) fail(n, where + " has no dtype string");
    TensorInfo t;
    t.name = key;
    if (!parse_dtype(dtype->get<std::string>(), t.dtype))
      fail(n, where + " has dtype " + dtype->get<std::string>() +
                  ", which typenet does not read (F16, BF16, F32, F64, I64)");
    if (shape == value.end() || !shape->is_array()) fail(n, where + " has no shape array");
    std::size_t elements = 1;
    for (const auto& d : *shape) {
      if (!d.is_number_unsigned()) fail(n, where + " has a shape entry that is not a size");
      const auto dim = d.get<std::uint64_t>();
      if (dim != 0 && elements > std::numeric_limits<std::size_t>::max() / 16 / dim)
        fail(n, where + " has an implausibly large shape");
      elements *= std::size_t(dim);
      t.shape.push_back(std::size_t(dim));
    }
    if (offsets == value.end() || !offsets->is_array() || offsets->size() != 2 ||
        !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned())
      fail(n, where + " has no data_offsets [begin, end]");
    const auto begin = (*offsets)[0].get<std::uint64_t>();
    const auto end = (*offsets)[1].get<std::uint64_t>();
    if (begin > end)
      fail(n, where + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                  "] that end before they begin");
    if (end > data_size)
      fail(n, where + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                  "] outside the " + std::to_string(data_size) + " data bytes (truncated file?)");
    t.begin = std::size_t(begin);
    t.end = std::size_t(end);
    if (t.end - t.begin != elements * size_of(t.dtype))
      fail(n, where + " has " + std::to_string(t.end - t.begin) + " bytes of data but its shape " +
                  "and dtype need " + std::to_string(elements * size_of(t.dtype)));
    file.tensors_.push_back(std::move(t));
  }
  std::sort(file.tensors_.begin(), file.tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  std::size_t covered = 0;
  for (const auto& t : file.tensors_) {
    if (t.begin < covered) fail(n, "tensor '" + t.name + "' overlaps the tensor before it");
    if (t.begin > covered)
      fail(n, "the data has a hole of " + std::to_string(t.begin - covered) +
                  " bytes before tensor '" + t.name + "'");
    covered = t.end;
  }
  if (covered != data_size)
    fail(n, std::to_string(data_size - covered) +
                " bytes after the last tensor's data (the header does not describe them)");
  file.bytes_.assign(bytes.begin(), bytes.end());
  return file;
}

const TensorInfo* Safetensors::find(std::string_view tensor) const {
  for (const auto& t : tensors_)
    if (t.name == tensor) return &t;
  return nullptr;
}

std::span<const std::uint8_t> Safetensors::data(const TensorInfo& tensor) const {
  return std::span<const std::uint8_t>(bytes_).subspan(data_start_ + tensor.begin,
                                                       tensor.end - tensor.begin);
}

void Safetensors::copy_to(const TensorInfo& tensor, std::span<float> out) const {
  convert(*this, tensor, out);
}
void Safetensors::copy_to(const TensorInfo& tensor, std::span<double> out) const {
  convert(*this, tensor, out);
}

std::size_t Safetensors::first_nonfinite(const TensorInfo& tensor, bool as_float) const {
  if (tensor.dtype == DType::I64) return tensor.elements();
  // Converted in chunks: the check needs no copy of the tensor.
  std::vector<double> chunk;
  const std::size_t n = tensor.elements(), step = 4096;
  for (std::size_t at = 0; at < n; at += step) {
    TensorInfo part = tensor;
    const std::size_t count = std::min(step, n - at);
    part.shape = {count};
    part.begin = tensor.begin + at * size_of(tensor.dtype);
    part.end = part.begin + count * size_of(tensor.dtype);
    chunk.resize(count);
    convert(*this, part, std::span<double>(chunk));
    for (std::size_t i = 0; i < count; ++i)
      if (!std::isfinite(chunk[i]) ||
          (as_float && std::abs(chunk[i]) > double(std::numeric_limits<float>::max())))
        return at + i;
  }
  return n;
}

std::int64_t Safetensors::integer(const TensorInfo& tensor) const {
  if (tensor.dtype != DType::I64 || tensor.elements() != 1)
    fail(name_, "tensor '" + tensor.name + "' is not a single I64 value");
  std::int64_t value = 0;
  std::memcpy(&value, data(tensor).data(), sizeof value);
  return value;
}

std::vector<std::uint8_t> encode_safetensors(std::span<const TensorView> tensors,
                                             const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::size_t offset = 0;
  for (const auto& t : tensors) {
    if (t.name.empty() || t.name == "__metadata__")
      throw WeightsError("write_safetensors: a tensor may not be named '" + t.name + "'");
    if (header.contains(t.name))
      throw WeightsError("write_safetensors: two tensors are named '" + t.name + "'");
    const std::size_t elements =
        std::accumulate(t.shape.begin(), t.shape.end(), std::size_t{1}, std::multiplies<>());
    if (t.bytes.size() != elements * size_of(t.dtype))
      throw WeightsError("write_safetensors: tensor '" + t.name + "' has " +
                         std::to_string(t.bytes.size()) + " bytes for " + std::to_string(elements) +
                         " elements of " + std::string(to_string(t.dtype)));
    header[t.name] = {{"dtype", to_string(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  text.resize((text.size() + 7) / 8 * 8, ' ');
  std::vector<std::uint8_t> out(8 + text.size() + offset);
  for (int i = 0; i < 8; ++i) out[std::size_t(i)] = std::uint8_t(text.size() >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  std::size_t at = 8 + text.size();
  for (const auto& t : tensors) {
    if (!t.bytes.empty()) std::memcpy(out.data() + at, t.bytes.data(), t.bytes.size());
    at += t.bytes.size();
  }
  return out;
}

void write_safetensors(const std::filesystem::path& path, std::span<const TensorView> tensors,
                       const std::map<std::string, std::string>& metadata) {
  const auto bytes = encode_safetensors(tensors, metadata);
  write_atomically(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

}  // namespace typenet::io
