// Readers read a header before the data it promises, and no more than that: gzip bombs, devices,
// directories and lying headers fail fast with a sentence. CIFAR's arguments are checked.
#include <catch2/catch.hpp>
#include <string>
#include <typenet/typenet.hpp>

#include "files.hpp"

namespace tn = typenet;
using namespace typenet_test;

TEST_CASE("Readers: a directory, a device, a missing file", "[data]") {
  const auto dir = scratch("a-directory");
  std::filesystem::create_directories(dir);
  // Issue 12: /dev/zero read until bad_alloc.
  for (const auto& path : {fs::path("/dev/zero"), fs::path("/dev/null")}) {
    const std::string device = path.string() +
                               ": is not a regular file (a device, a pipe or a "
                               "socket); the readers take files, whose size is bounded";
    REQUIRE_THROWS_WITH(tn::data::read_idx(path), device);
    REQUIRE_THROWS_WITH(tn::data::read_cifar({path}), device);
    REQUIRE_THROWS_WITH(tn::data::load_idx(path, path), device);
  }
  REQUIRE_THROWS_WITH(tn::data::read_idx(dir), dir.string() + ": is a directory, not a data file");
  REQUIRE_THROWS_WITH(tn::data::read_cifar({dir}),
                      dir.string() + ": is a directory, not a data file");
  REQUIRE_THROWS_WITH(tn::data::read_cifar({scratch("missing.bin")}),
                      scratch("missing.bin").string() + ": no such file");
  REQUIRE_THROWS_WITH(tn::data::fashion_mnist(dir), Catch::Contains("no such file"));
}

TEST_CASE("IDX: a gzip bomb is rejected after the values its header promises", "[data]") {
  // Issue 12: a 1 MiB gzip bomb took 2.1 GB and 11 s. 10 x 10 values, then 100 MB of zeros.
  const auto path = scratch("bomb.idx.gz");
  write_gzip_bomb(path, idx_bytes(0x08, {10, 10}, 100), 100'000'000);
  REQUIRE(fs::file_size(path) < 1'000'000);
  REQUIRE_THROWS_WITH(tn::data::read_idx(path),
                      path.string() +
                          ": at least 65536 unexpected bytes after the 100 values the "
                          "header describes");
  // Siblings: a few bytes too many, plain or compressed; a label file with a bomb behind it.
  write_gzip_bomb(path, idx_bytes(0x08, {10, 10}, 100), 3);
  REQUIRE_THROWS_WITH(
      tn::data::read_idx(path),
      Catch::EndsWith(": 3 unexpected bytes after the 100 values the header describes"));
  write_plain(scratch("images.idx"), idx_bytes(0x08, {1, 2, 2}, 4));
  write_gzip_bomb(path, idx_bytes(0x08, {1}, 1), 50'000'000);
  REQUIRE_THROWS_WITH(tn::data::load_idx(scratch("images.idx"), path),
                      Catch::Contains("at least 65536 unexpected bytes"));
}

TEST_CASE("IDX: a header promising more than the file holds or than the limit", "[data]") {
  const auto path = scratch("liar.idx");
  // 10^9 values promised, 3 present: an error, without a gigabyte allocated first.
  write_plain(path, idx_bytes(0x08, {1000, 1000, 1000}, 3));
  REQUIRE_THROWS_WITH(
      tn::data::read_idx(path),
      Catch::EndsWith(": truncated: the header promises 1000000000 values but 3 follow"));
  write_plain(path, idx_bytes(0x08, {65536, 65536, 2}, 0));
  REQUIRE_THROWS_WITH(tn::data::read_idx(path),
                      Catch::EndsWith(": the IDX dimensions promise more than 4294967296 values "
                                      "(typenet::data::max_file_bytes, 4 GiB)"));
  write_plain(path, idx_bytes(0x08, {2, 0, 2}, 0));
  REQUIRE_THROWS_WITH(tn::data::read_idx(path), Catch::EndsWith(": IDX dimension 1 is 0"));
  write_plain(path, idx_bytes(0x08, {1, 1, 1, 1, 1}, 1));
  REQUIRE_THROWS_WITH(tn::data::read_idx(path), Catch::EndsWith(": IDX rank 5 is not 1 to 4"));
  // load_idx's class count is checked before any file is read.
  REQUIRE_THROWS_WITH(tn::data::load_idx("/nonexistent", "/nonexistent", 0),
                      "load_idx(/nonexistent): 0 classes (a dataset needs at least one)");
  REQUIRE_THROWS_WITH(tn::data::load_idx("/nonexistent", "/nonexistent", 100'001),
                      Catch::Contains("100001 classes is more than the 100000 a dataset may have"));
}

TEST_CASE("CIFAR: every argument is checked", "[data]") {
  std::vector<std::uint8_t> record(2 + 3072, 0);
  record[0] = 3;
  record[1] = 7;
  write_plain(scratch("cifar100.bin"), record);
  const auto path = scratch("cifar100.bin");
  // Issue 12: labels_per_record = 0 read the byte before its buffer.
  REQUIRE_THROWS_WITH(tn::data::read_cifar({path}, 10, 0),
                      "read_cifar: labels_per_record is 0; it must be 1 (CIFAR-10) or 2 "
                      "(CIFAR-100: coarse and fine label)");
  REQUIRE_THROWS_WITH(tn::data::read_cifar({path}, 10, 3),
                      Catch::StartsWith("read_cifar: labels_per_record is 3;"));
  REQUIRE_THROWS_WITH(tn::data::read_cifar({path}, 0, 2),
                      "read_cifar: 0 classes (a dataset needs at least one)");
  REQUIRE_THROWS_WITH(tn::data::read_cifar({path}, 1'000'000, 2),
                      Catch::StartsWith("read_cifar: 1000000 classes is more than the 100000"));
  REQUIRE_THROWS_WITH(tn::data::read_cifar({}, 10, 1), "read_cifar: no files given");
  const auto hundred = tn::data::read_cifar({path}, 100, 2);
  CHECK(hundred.labels == std::vector<int>{7});  // the fine label
  REQUIRE_THROWS_WITH(tn::data::read_cifar({path, path}, 5, 2),
                      path.string() + ": label 7 of record 0 is not below the 5 classes");
  // The record count is per file; the second file's bad record is named in that file.
  std::vector<std::uint8_t> two(record);
  two.insert(two.end(), record.begin(), record.end());
  two[3074 + 1] = 200;
  write_plain(scratch("two.bin"), two);
  REQUIRE_THROWS_WITH(
      tn::data::read_cifar({path, scratch("two.bin")}, 100, 2),
      scratch("two.bin").string() + ": label 200 of record 1 is not below the 100 classes");
  write_plain(scratch("empty.bin"), {});
  REQUIRE_THROWS_WITH(tn::data::read_cifar({scratch("empty.bin")}),
                      scratch("empty.bin").string() + ": is empty (no CIFAR records)");
  // Gzip-compressed, and cut inside a record.
  write_gzip(scratch("cifar.bin.gz"), std::vector<std::uint8_t>(record.begin() + 1, record.end()));
  CHECK(tn::data::read_cifar({scratch("cifar.bin.gz")}).labels == std::vector<int>{7});
  write_gzip(scratch("cifar.bin.gz"),
             std::vector<std::uint8_t>(record.begin() + 1, record.end() - 1));
  REQUIRE_THROWS_WITH(tn::data::read_cifar({scratch("cifar.bin.gz")}),
                      Catch::EndsWith(": 3072 bytes is not a whole number of 3073-byte CIFAR "
                                      "records (truncated or not CIFAR)"));
}
