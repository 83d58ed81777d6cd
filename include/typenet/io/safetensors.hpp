// The safetensors format (Hugging Face, https://github.com/huggingface/safetensors): 8 bytes of
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, and an
// optional "__metadata__": {string: string}}, then the tensors' little-endian bytes, with
// data_offsets relative to the end of the header. The PyTorch / Hugging Face world exchanges
// weights in it. This header reads and writes whole files; io/weights.hpp maps networks to it.
//
//   auto file = tn::io::Safetensors::read("lenet.safetensors");
//   for (const auto& t : file.tensors()) std::cout << t.name << " " << t.shape.size() << "\n";
//
// Parsing and writing the JSON header goes through nlohmann-json; both are compiled once, in
// src/io/safetensors.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace typenet::io {

// A weight file that cannot be read or does not fit the network; what() names the file.
class WeightsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The element types typenet reads: the floating-point ones (read into float or double) and
// I64 (BatchNorm's num_batches_tracked). Names as in the format ("F32", ...).
enum class DType { F16, BF16, F32, F64, I64 };
std::string_view to_string(DType dtype);
std::size_t size_of(DType dtype);  // bytes per element

// The largest header the reader accepts: 100 MB, the limit of the reference implementation.
inline constexpr std::uint64_t max_header_bytes = 100'000'000;

// One tensor of a file: its bytes lie in the file's data at [begin, end).
struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::size_t> shape;  // [] for a scalar
  std::size_t begin = 0, end = 0;
  std::size_t elements() const;
};

// A tensor to write: `bytes` hold product(shape) elements of `dtype`, little-endian.
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::size_t> shape;
  std::span<const std::byte> bytes;
};

class Safetensors {
 public:
  // Reads and checks a whole file. Throws WeightsError naming the file when it is missing, a
  // directory, not a regular file, shorter than its header says, has a header length above
  // max_header_bytes, a header that is not the format's JSON or names a tensor twice, an
  // unknown dtype, a shape whose
  // size disagrees with its data_offsets, offsets out of bounds, overlapping or leaving a hole,
  // or bytes after the last tensor.
  static Safetensors read(const std::filesystem::path& path);
  // The same checks on bytes in memory; `name` stands for the file in messages.
  static Safetensors parse(std::span<const std::uint8_t> bytes, std::string name);

  const std::string& name() const { return name_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }  // in offset order
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const TensorInfo* find(std::string_view tensor) const;
  std::span<const std::uint8_t> data(const TensorInfo& tensor) const;

  // The tensor's elements converted to float or double (F16/BF16/F32/F64) in `out`, whose size
  // must be its element count. Throws WeightsError for I64.
  void copy_to(const TensorInfo& tensor, std::span<float> out) const;
  void copy_to(const TensorInfo& tensor, std::span<double> out) const;
  // The index of the first element that is NaN or infinite (or, with as_float, beyond float's
  // range), or elements() when there is none (and for I64 tensors).
  std::size_t first_nonfinite(const TensorInfo& tensor, bool as_float) const;
  // An I64 scalar or one-element tensor.
  std::int64_t integer(const TensorInfo& tensor) const;

 private:
  std::string name_;
  std::vector<std::uint8_t> bytes_;  // the whole file
  std::size_t data_start_ = 0;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

// Writes tensors (in the given order) and metadata as a safetensors file, atomically (see
// io/atomic_file.hpp). The header is padded with spaces to a multiple of 8 bytes, so that every
// tensor's data stays 8-byte aligned as the reference writer keeps it. Throws WeightsError for
// duplicate or empty names or a view whose byte count disagrees with its shape, and
// std::runtime_error when the file cannot be written.
void write_safetensors(const std::filesystem::path& path, std::span<const TensorView> tensors,
                       const std::map<std::string, std::string>& metadata = {});

// The file's bytes, for writing elsewhere (tests, fuzz seeds); same checks as above.
std::vector<std::uint8_t> encode_safetensors(std::span<const TensorView> tensors,
                                             const std::map<std::string, std::string>& metadata);

}  // namespace typenet::io
