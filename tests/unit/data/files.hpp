// Crafted data files for the reader tests: scratch directories of this process, IDX bytes,
// plain and gzip writers, a whole-file reader.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace typenet_test {

namespace fs = std::filesystem;

// A file name in a directory of this process (ctest runs test cases as parallel processes).
inline fs::path scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("typenet-data-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// A directory of its own, removed with what is in it when the test ends (the release and
// sanitizer builds may run the same test at once; a test may hold two).
class Scratch {
 public:
  Scratch() { fs::create_directories(dir_); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path operator/(const std::string& name) const { return dir_ / name; }
  const fs::path& path() const { return dir_; }

 private:
  static inline int made_ = 0;
  fs::path dir_ = fs::temp_directory_path() /
                  ("typenet-scratch-" + std::to_string(getpid()) + "-" + std::to_string(made_++));
};

inline std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

inline std::vector<std::uint8_t> idx_bytes(std::uint8_t type, std::vector<std::uint32_t> dims,
                                           std::size_t values, std::uint8_t fill = 0) {
  std::vector<std::uint8_t> bytes{0, 0, type, std::uint8_t(dims.size())};
  for (auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(std::uint8_t(d >> shift));
  for (std::size_t i = 0; i < values; ++i) bytes.push_back(std::uint8_t(fill + i));
  return bytes;
}

inline void write_plain(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary).write(text.data(), std::streamsize(text.size()));
}

inline void write_gzip(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.string().c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, bytes.data(), unsigned(bytes.size())) == int(bytes.size()));
  gzclose(file);
}

// A gzip file of `head` followed by `zeros` zero bytes, compressed in memory chunk by chunk (a
// "gzip bomb": 100 MB of zeros is about 100 KB).
inline void write_gzip_bomb(const fs::path& path, const std::vector<std::uint8_t>& head,
                            std::size_t zeros) {
  gzFile file = gzopen(path.string().c_str(), "wb9");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, head.data(), unsigned(head.size())) == int(head.size()));
  const std::vector<std::uint8_t> chunk(std::size_t(1) << 20, 0);
  for (std::size_t done = 0; done < zeros; done += chunk.size()) {
    const auto n = unsigned(std::min(chunk.size(), zeros - done));
    REQUIRE(gzwrite(file, chunk.data(), n) == int(n));
  }
  gzclose(file);
}

}  // namespace typenet_test
