// Where the readers take their bytes from: a file (inflated if it is gzip) or memory (the fuzz
// harnesses of tests/fuzz/), through one interface, so that both run the same parsing code.
// Implemented in src/data/detail/source.cpp.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace typenet::data::detail {

class Source {
 public:
  explicit Source(std::string name) : name_(std::move(name)) {}
  virtual ~Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Up to n bytes into `to`; fewer only at the end of the data. Throws DataError for corrupt or
  // truncated compressed data, and past max_file_bytes.
  std::size_t read(std::uint8_t* to, std::size_t n);
  // Appends up to n bytes to `out`, growing it as the bytes arrive (a header that promises more
  // than the file holds allocates no more than the file holds); returns how many.
  std::size_t append(std::vector<std::uint8_t>& out, std::size_t n);
  // Throws "<name>: N unexpected bytes after <what>" unless the data has ended (reads at most
  // 64 KiB more to count them).
  void expect_end(const std::string& what);
  // How many bytes have been read.
  std::uint64_t position() const { return position_; }
  const std::string& name() const { return name_; }
  // Throws DataError("<name>: <what>").
  [[noreturn]] void fail(const std::string& what) const;

 protected:
  virtual std::size_t read_some(std::uint8_t* to, std::size_t n) = 0;

 private:
  std::string name_;
  std::uint64_t position_ = 0;
};

// A file's bytes; gzip is inflated (zlib passes other files through). Throws DataError when the
// path does not exist, is a directory, or is not a regular file (a device such as /dev/zero, a
// pipe), or cannot be opened.
class FileSource final : public Source {
 public:
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;

 protected:
  std::size_t read_some(std::uint8_t* to, std::size_t n) override;

 private:
  void* file_ = nullptr;  // gzFile
  bool ended_ = false;
};

// Bytes in memory, as they are (no decompression).
class MemorySource final : public Source {
 public:
  MemorySource(std::span<const std::uint8_t> bytes, std::string name)
      : Source(std::move(name)), bytes_(bytes) {}

 protected:
  std::size_t read_some(std::uint8_t* to, std::size_t n) override;

 private:
  std::span<const std::uint8_t> bytes_;
};

// The checks a path gets before it is opened: exists, not a directory, a regular file.
void check_regular_file(const std::filesystem::path& path);

}  // namespace typenet::data::detail
