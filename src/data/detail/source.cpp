// Bytes for the readers, bounded: from a file through zlib, or from memory.
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "typenet/data/dataset.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements the internal header
#include "typenet/data/detail/source.hpp"

namespace typenet::data::detail {

void Source::fail(const std::string& what) const { throw DataError(name_ + ": " + what); }

std::size_t Source::read(std::uint8_t* to, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const std::size_t got = read_some(to + done, n - done);
    if (got == 0) break;
    done += got;
  }
  position_ += done;
  if (position_ > max_file_bytes)
    fail("more than " + std::to_string(max_file_bytes) +
         " bytes (typenet::data::max_file_bytes, 4 GiB), the most a reader takes from one file");
  return done;
}

std::size_t Source::append(std::vector<std::uint8_t>& out, std::size_t n) {
  constexpr std::size_t chunk = std::size_t(1) << 20;
  const std::size_t start = out.size();
  while (out.size() - start < n) {
    const std::size_t want = std::min(chunk, n - (out.size() - start));
    const std::size_t before = out.size();
    out.resize(before + want);
    const std::size_t got = read(out.data() + before, want);
    out.resize(before + got);
    if (got < want) break;
  }
  return out.size() - start;
}

void Source::expect_end(const std::string& what) {
  constexpr std::size_t limit = std::size_t(1) << 16;
  std::vector<std::uint8_t> rest(limit);
  const std::size_t extra = read(rest.data(), limit);
  if (extra == limit) fail("at least " + std::to_string(limit) + " unexpected bytes after " + what);
  if (extra > 0) fail(std::to_string(extra) + " unexpected bytes after " + what);
}

void check_regular_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found)
    throw DataError(path.string() + ": no such file");
  if (error) throw DataError(path.string() + ": cannot read it (" + error.message() + ")");
  if (status.type() == std::filesystem::file_type::directory)
    throw DataError(path.string() + ": is a directory, not a data file");
  if (status.type() != std::filesystem::file_type::regular)
    throw DataError(path.string() +
                    ": is not a regular file (a device, a pipe or a socket); the readers take "
                    "files, whose size is bounded");
}

FileSource::FileSource(const std::filesystem::path& path) : Source(path.string()) {
  check_regular_file(path);
  file_ = gzopen(path.string().c_str(), "rb");
  if (file_ == nullptr) fail(std::string("cannot open (") + std::strerror(errno) + ")");
}

FileSource::~FileSource() {
  if (file_ != nullptr) gzclose(static_cast<gzFile>(file_));
}

std::size_t FileSource::read_some(std::uint8_t* to, std::size_t n) {
  if (ended_) return 0;
  const auto file = static_cast<gzFile>(file_);
  const int got = gzread(file, to, unsigned(std::min<std::size_t>(n, std::size_t(1) << 20)));
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  // A gzip stream cut short is a soft error: gzread returns what it inflated and gzerror says
  // Z_BUF_ERROR ("unexpected end of file").
  if (got < 0 || (code != Z_OK && code != Z_BUF_ERROR))
    fail(std::string("corrupt compressed data (") + message + ")");
  if (code == Z_BUF_ERROR) fail("truncated compressed data (the gzip stream ends early)");
  if (got == 0) ended_ = true;
  return std::size_t(got);
}

std::size_t MemorySource::read_some(std::uint8_t* to, std::size_t n) {
  const std::size_t got = std::min(n, bytes_.size());
  if (got > 0) std::memcpy(to, bytes_.data(), got);
  bytes_ = bytes_.subspan(got);
  return got;
}

}  // namespace typenet::data::detail
