// The safetensors reader and writer: the format's bytes, conversions, and every way a file can
// lie about itself.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <typenet/io/safetensors.hpp>
#include <vector>

namespace io = typenet::io;

namespace {

// A file by hand: the 8-byte little-endian length, the header text, the data bytes.
std::vector<std::uint8_t> file_of(const std::string& header, std::vector<std::uint8_t> data = {}) {
  std::string text;
  for (int i = 0; i < 8; ++i) text.push_back(char(std::uint8_t(header.size() >> (8 * i))));
  text += header;
  for (std::uint8_t b : data) text.push_back(char(b));
  return {text.begin(), text.end()};
}

template <class V>
std::vector<std::uint8_t> bytes_of(const std::vector<V>& values) {
  std::vector<std::uint8_t> out(values.size() * sizeof(V));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::string parse_error(const std::vector<std::uint8_t>& bytes) {
  try {
    io::Safetensors::parse(bytes, "f.safetensors");
  } catch (const io::WeightsError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("A file written by hand as the format describes it reads back", "[io][safetensors]") {
  // Two tensors, in the reverse of their offset order in the header, and metadata.
  const std::vector<float> a{1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 1e-3f};
  const std::vector<double> b{0.125, 1e300};
  auto data = bytes_of(a);
  const auto tail = bytes_of(b);
  data.insert(data.end(), tail.begin(), tail.end());
  const auto bytes = file_of(
      R"({"b":{"dtype":"F64","shape":[2],"data_offsets":[24,40]},)"
      R"("a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"__metadata__":{"k":"v"}})",
      data);
  const auto file = io::Safetensors::parse(bytes, "hand");
  REQUIRE(file.tensors().size() == 2);
  CHECK(file.tensors()[0].name == "a");  // in offset order
  CHECK(file.tensors()[0].shape == std::vector<std::size_t>{2, 3});
  CHECK(file.metadata().at("k") == "v");
  std::vector<float> got_a(6);
  file.copy_to(*file.find("a"), std::span<float>(got_a));
  CHECK(got_a == a);
  std::vector<double> got_b(2);
  file.copy_to(*file.find("b"), std::span<double>(got_b));
  CHECK(got_b == b);
  // F64 into float rounds; 1e300 is beyond float.
  std::vector<float> narrowed(2);
  file.copy_to(*file.find("b"), std::span<float>(narrowed));
  CHECK(narrowed[0] == 0.125f);
  CHECK(std::isinf(narrowed[1]));
}

TEST_CASE("encode and parse round-trip, with an 8-byte aligned header", "[io][safetensors]") {
  const std::vector<float> w{1, 2, 3, 4};
  const std::int64_t count = 42;
  const std::vector<io::TensorView> views{
      {"layer.weight", io::DType::F32, {2, 2}, std::as_bytes(std::span(w))},
      {"layer.num_batches_tracked", io::DType::I64, {}, std::as_bytes(std::span(&count, 1))},
      {"empty", io::DType::F32, {0, 3}, {}}};
  const auto bytes = io::encode_safetensors(views, {{"format", "pt"}});
  std::uint64_t header = 0;
  std::memcpy(&header, bytes.data(), 8);
  CHECK(header % 8 == 0);
  CHECK(bytes.size() == 8 + header + 16 + 8);
  const auto file = io::Safetensors::parse(bytes, "round");
  CHECK(file.integer(*file.find("layer.num_batches_tracked")) == 42);
  CHECK(file.find("layer.num_batches_tracked")->shape.empty());
  CHECK(file.find("empty")->elements() == 0);
  std::vector<float> back(4);
  file.copy_to(*file.find("layer.weight"), std::span<float>(back));
  CHECK(back == w);
  CHECK(file.metadata().at("format") == "pt");
  REQUIRE_THROWS_WITH(io::encode_safetensors(std::vector<io::TensorView>{views[0], views[0]}, {}),
                      "write_safetensors: two tensors are named 'layer.weight'");
  REQUIRE_THROWS_WITH(
      io::encode_safetensors(
          std::vector<io::TensorView>{{"x", io::DType::F64, {3}, std::as_bytes(std::span(w))}}, {}),
      "write_safetensors: tensor 'x' has 16 bytes for 3 elements of F64");
}

TEST_CASE("F16 and BF16 read into float exactly", "[io][safetensors]") {
  // 1, -2, 65504 (largest half), 2^-24 (smallest subnormal), +inf; bfloat16 1 and 3.140625.
  const std::vector<std::uint16_t> half{0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00};
  const std::vector<std::uint16_t> brain{0x3F80, 0x4049};
  auto data = bytes_of(half);
  const auto tail = bytes_of(brain);
  data.insert(data.end(), tail.begin(), tail.end());
  const auto file =
      io::Safetensors::parse(file_of(R"({"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},)"
                                     R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]}})",
                                     data),
                             "half");
  std::vector<float> h(5), b(2);
  file.copy_to(*file.find("h"), std::span<float>(h));
  file.copy_to(*file.find("b"), std::span<float>(b));
  CHECK(h[0] == 1.0f);
  CHECK(h[1] == -2.0f);
  CHECK(h[2] == 65504.0f);
  CHECK(h[3] == std::ldexp(1.0f, -24));
  CHECK(std::isinf(h[4]));
  CHECK(b == std::vector<float>{1.0f, 3.140625f});
}

TEST_CASE("Lying, truncated and corrupt files are refused with a sentence", "[io][safetensors]") {
  const std::vector<std::uint8_t> eight(8, 0);
  const auto tensor = [](const std::string& body) { return "{\"t\":{" + body + "}}"; };
  const std::string good = R"("dtype":"F32","shape":[2],"data_offsets":[0,8])";
  CHECK(parse_error(file_of(tensor(good), eight)) == "(accepted)");

  CHECK(parse_error({1, 2, 3}) ==
        "f.safetensors: too short for a safetensors file (3 bytes; the header length alone "
        "takes 8)");
  auto absurd = file_of("{}");
  absurd[5] = 0x7f;  // a header length of ~140 TB
  CHECK_THAT(parse_error(absurd), Catch::Contains("above the format's limit of 100 MB"));
  auto longer = file_of(tensor(good), eight);
  longer[0] += 40;  // claims more header than the file holds
  CHECK_THAT(parse_error(longer), Catch::Contains("truncated: the header length is"));
  CHECK(parse_error(file_of("[1,2]")) == "f.safetensors: the header is not a JSON object");
  CHECK(parse_error(file_of("{\"t\":")) == "f.safetensors: the header is not a valid JSON object");
  CHECK(parse_error(file_of(tensor(R"("shape":[2],"data_offsets":[0,8])"), eight)) ==
        "f.safetensors: tensor 't' has no dtype string");
  CHECK(parse_error(
            file_of(tensor(R"("dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2])"), {0, 0})) ==
        "f.safetensors: tensor 't' has dtype F8_E4M3, which typenet does not read (F16, BF16, "
        "F32, F64, I64)");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[-2],"data_offsets":[0,8])"), eight)) ==
        "f.safetensors: tensor 't' has a shape entry that is not "
        "a size");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[2],"data_offsets":[0])"), eight)) ==
        "f.safetensors: tensor 't' has no data_offsets [begin, end]");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[4],"data_offsets":[0,16])"), eight)) ==
        "f.safetensors: tensor 't' has data_offsets [0, 16] outside the 8 data bytes (truncated "
        "file?)");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[3],"data_offsets":[0,8])"), eight)) ==
        "f.safetensors: tensor 't' has 8 bytes of data but its shape and dtype need 12");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[4611686018427387904,4],)"
                                   R"("data_offsets":[0,8])"),
                            eight)) == "f.safetensors: tensor 't' has an implausibly large shape");
  // Offsets that overlap, leave a hole, or leave bytes nobody owns.
  CHECK(parse_error(file_of(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                            eight)) == "f.safetensors: tensor 'b' overlaps the tensor before it");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[1],"data_offsets":[4,8])"), eight)) ==
        "f.safetensors: the data has a hole of 4 bytes before "
        "tensor 't'");
  auto extra = eight;
  extra.push_back(0);
  CHECK(parse_error(file_of(tensor(good), extra)) ==
        "f.safetensors: 1 bytes after the last tensor's data (the header does not describe "
        "them)");
  // A name given twice: JSON would keep the last, hiding the first from the offset checks.
  CHECK(parse_error(file_of(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                            eight)) == "f.safetensors: the header names 't' twice");
  CHECK(parse_error(file_of(tensor(R"("dtype":"F32","shape":[1],"data_offsets":[8,4])"), eight)) ==
        "f.safetensors: tensor 't' has data_offsets [8, 4] that end before they begin");
  CHECK(parse_error(file_of(R"({"__metadata__":{"k":3}})")) ==
        "f.safetensors: __metadata__ entry 'k' is not a string");
}

TEST_CASE("A header of 100,000 entries parses, and a name repeated far apart is found",
          "[io][safetensors]") {
  // The duplicate check once rescanned the top-level object after every entry (minutes here).
  const auto header = [](const std::string& last) {
    std::string text = "{";
    for (int i = 0; i < 100'000; ++i)
      text += "\"z" + std::to_string(i) + R"(":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)";
    return text + "\"" + last + R"(":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})";
  };
  const auto file = io::Safetensors::parse(file_of(header("last")), "f.safetensors");
  CHECK(file.tensors().size() == 100'001);
  CHECK(parse_error(file_of(header("z0"))) == "f.safetensors: the header names 'z0' twice");
}

TEST_CASE("read refuses missing files, directories and devices before reading",
          "[io][safetensors]") {
  const auto dir = std::filesystem::temp_directory_path() / "typenet-safetensors-read";
  std::filesystem::create_directories(dir);
  REQUIRE_THROWS_WITH(io::Safetensors::read(dir / "none.safetensors"),
                      (dir / "none.safetensors").string() + ": no such file");
  REQUIRE_THROWS_WITH(io::Safetensors::read(dir), dir.string() + ": is a directory");
  REQUIRE_THROWS_WITH(io::Safetensors::read("/dev/zero"), "/dev/zero: not a regular file");
  // A file cut short on disk.
  const std::vector<float> w{1, 2, 3, 4};
  const std::vector<io::TensorView> views{{"w", io::DType::F32, {4}, std::as_bytes(std::span(w))}};
  io::write_safetensors(dir / "w.safetensors", views);
  CHECK(io::Safetensors::read(dir / "w.safetensors").find("w") != nullptr);
  std::filesystem::resize_file(dir / "w.safetensors",
                               std::filesystem::file_size(dir / "w.safetensors") - 3);
  REQUIRE_THROWS_WITH(io::Safetensors::read(dir / "w.safetensors"),
                      Catch::Contains("tensor 'w' has data_offsets [0, 16] outside the 13 data "
                                      "bytes (truncated file?)"));
  std::filesystem::remove_all(dir);
}
