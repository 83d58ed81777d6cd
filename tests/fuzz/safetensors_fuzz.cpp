// libFuzzer harness of the weight-file reader: any bytes as one safetensors file. An accepted
// file's tensors must tile its data exactly (in offset order, no overlap, no hole, nothing
// after), each tensor's byte count must be its shape's element count times its dtype's size,
// every tensor must convert without reading outside the file, and encoding the tensors again
// must parse to the same names, dtypes and shapes.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "invariants.hpp"
#include "typenet/io/safetensors.hpp"

namespace io = typenet::io;
using typenet_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  io::Safetensors file;
  try {
    file = io::Safetensors::parse({bytes, size}, "fuzz.safetensors");
  } catch (const io::WeightsError&) {
    return 0;
  }
  require(size >= 8, "the length field");
  std::uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = header << 8 | bytes[i];
  const std::size_t data = size - 8 - std::size_t(header);
  std::size_t covered = 0;
  std::vector<io::TensorView> views;
  for (const auto& t : file.tensors()) {
    require(t.begin == covered, "tensors tile the data in offset order");
    require(t.end - t.begin == t.elements() * io::size_of(t.dtype), "bytes = elements x size");
    covered = t.end;
    const auto raw = file.data(t);
    require(raw.size() == t.end - t.begin &&
                std::equal(raw.begin(), raw.end(), bytes + 8 + header + t.begin),
            "a tensor's data are its bytes of the file, after the header");
    if (t.dtype == io::DType::I64) {
      if (t.elements() == 1) (void)file.integer(t);
    } else {
      std::vector<double> values(t.elements());
      file.copy_to(t, std::span<double>(values));
    }
    views.push_back({t.name, t.dtype, t.shape, std::as_bytes(std::span(raw))});
  }
  require(covered == data, "nothing after the last tensor");
  const auto again =
      io::Safetensors::parse(io::encode_safetensors(views, file.metadata()), "again");
  require(again.tensors().size() == file.tensors().size(), "re-encoding keeps every tensor");
  for (const auto& t : file.tensors()) {
    const auto* u = again.find(t.name);
    require(u != nullptr && u->dtype == t.dtype && u->shape == t.shape, "re-encoding is faithful");
  }
  return 0;
}
