// Dataset readers against crafted good, truncated and corrupt files; transformations.
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <typenet/typenet.hpp>
#include <vector>

#include "files.hpp"

namespace tn = typenet;
namespace fs = std::filesystem;

using namespace typenet_test;

TEST_CASE("IDX files: plain and gzip, images with labels", "[data]") {
  const auto images = idx_bytes(0x08, {3, 2, 2}, 12);
  const auto labels = idx_bytes(0x08, {3}, 3, 7);  // labels 7, 8, 9
  write_plain(scratch("images.idx"), images);
  write_gzip(scratch("labels.idx.gz"), labels);
  const auto data = tn::data::load_idx(scratch("images.idx"), scratch("labels.idx.gz"));
  REQUIRE(data.size() == 3);
  CHECK(data.channels == 1);
  CHECK(data.height == 2);
  CHECK(data.width == 2);
  CHECK(data.labels == std::vector<int>{7, 8, 9});
  CHECK(data.image(2)[3] == Approx(11.0f / 255));
}

TEST_CASE("IDX files: every corruption is an error naming the file", "[data]") {
  const auto path = scratch("bad.idx");
  const auto rejects = [&](const std::vector<std::uint8_t>& bytes, const std::string& what) {
    write_plain(path, bytes);
    REQUIRE_THROWS_WITH(tn::data::read_idx(path),
                        Catch::Contains(path.string()) && Catch::Contains(what));
  };
  rejects({0, 0}, "too short");
  rejects({1, 2, 8, 1, 0, 0, 0, 1, 5}, "not an IDX file");
  rejects(idx_bytes(0x0D, {2}, 8), "element type 13");
  rejects({0, 0, 8, 3, 0, 0, 0, 2}, "truncated IDX header");
  rejects(idx_bytes(0x08, {4, 5}, 19), "truncated: the header promises 20 values but 19 follow");
  rejects(idx_bytes(0x08, {2}, 3), "1 unexpected bytes");

  // A gzip stream cut in half.
  const auto good = idx_bytes(0x08, {1000}, 1000);
  write_gzip(path, good);
  std::ifstream in(path, std::ios::binary);
  std::vector<char> compressed((std::istreambuf_iterator<char>(in)), {});
  compressed.resize(compressed.size() / 2);
  std::ofstream(path, std::ios::binary)
      .write(compressed.data(), std::streamsize(compressed.size()));
  REQUIRE_THROWS_WITH(tn::data::read_idx(path), Catch::Contains(path.string()));

  REQUIRE_THROWS_WITH(tn::data::read_idx(scratch("missing.idx")), Catch::Contains("no such file"));

  // Labels that disagree with the images, or exceed the classes.
  write_plain(scratch("i.idx"), idx_bytes(0x08, {2, 1, 1}, 2));
  write_plain(scratch("l.idx"), idx_bytes(0x08, {3}, 3));
  REQUIRE_THROWS_WITH(tn::data::load_idx(scratch("i.idx"), scratch("l.idx")),
                      Catch::Contains("3 labels for the 2 images"));
  write_plain(scratch("l.idx"), idx_bytes(0x08, {2}, 2, 9));
  REQUIRE_THROWS_WITH(tn::data::load_idx(scratch("i.idx"), scratch("l.idx")),
                      Catch::Contains("label 10 of sample 1"));
}

TEST_CASE("CIFAR reader", "[data]") {
  std::vector<std::uint8_t> record(1 + 3072, 0);
  record[0] = 4;
  record[1] = 255;
  std::vector<std::uint8_t> two(record);
  two.insert(two.end(), record.begin(), record.end());
  write_plain(scratch("cifar.bin"), two);
  const auto cifar = tn::data::read_cifar({scratch("cifar.bin")});
  CHECK(cifar.size() == 2);
  CHECK(cifar.labels[1] == 4);
  CHECK(cifar.image(0)[0] == 1.0f);
  two.pop_back();
  write_plain(scratch("cifar.bin"), two);
  REQUIRE_THROWS_WITH(tn::data::read_cifar({scratch("cifar.bin")}),
                      Catch::Contains("not a whole number of 3073-byte CIFAR records"));
}

TEST_CASE("A dataset from arrays in memory, checked", "[data]") {
  const auto d = tn::data::Dataset::from_arrays({1, 2, 3, 4, 5, 6}, {0, 2}, 1, 1, 3, 3);
  CHECK(d.size() == 2);
  CHECK(d.image(1)[0] == 4);
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({1, 2, 3}, {0, 1}, 1, 1, 3, 3),
                      "Dataset::from_arrays: 2 labels, but images holds 1 samples of 1x1x3 (3 "
                      "values): give one label per sample");
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({1, 2, 3}, {5}, 1, 1, 3, 3),
                      Catch::Contains("label 5 of row 0 is not in [0, 3)"));
}

TEST_CASE("Split, pad, normalise, one-hot", "[data]") {
  tn::data::Dataset d;
  d.channels = 1;
  d.height = d.width = 2;
  d.classes = 3;
  for (int i = 0; i < 10; ++i) {
    for (int k = 0; k < 4; ++k) d.images.push_back(float(i * 4 + k));
    d.labels.push_back(i % 3);
  }
  const auto [a, b] = tn::data::split(d, 0.7, 5);
  CHECK(a.size() == 7);
  CHECK(b.size() == 3);
  std::vector<float> firsts;
  for (std::size_t i = 0; i < a.size(); ++i) firsts.push_back(a.image(i)[0]);
  for (std::size_t i = 0; i < b.size(); ++i) firsts.push_back(b.image(i)[0]);
  std::sort(firsts.begin(), firsts.end());
  for (int i = 0; i < 10; ++i) REQUIRE(firsts[std::size_t(i)] == float(i * 4));  // a partition
  const auto [a2, b2] = tn::data::split(d, 0.7, 5);
  CHECK(a2.labels == a.labels);  // seeded
  // split_size is split's first part, rounded to the nearest sample, halves up: the main job's
  // 55/60 of 6 images is 5.5, so all 6 train and none validates; of 7, 6.42: 6 and 1.
  for (std::size_t n : std::initializer_list<std::size_t>{0, 1, 6, 7, 10}) {
    const auto [first, rest] = tn::data::split(d.head(n), 55.0 / 60.0, 3);
    CHECK(first.size() == tn::data::split_size(n, 55.0 / 60.0));
    CHECK(first.size() + rest.size() == n);
  }
  CHECK(tn::data::split_size(6, 55.0 / 60.0) == 6);
  CHECK(tn::data::split_size(7, 55.0 / 60.0) == 6);
  CHECK(tn::data::split_size(10, 0.25) == 3);  // 2.5 rounds up
  CHECK_THROWS_AS(tn::data::split_size(10, 1.5), std::invalid_argument);

  const auto padded = tn::data::pad(d, 1);
  CHECK(padded.height == 4);
  CHECK(padded.image(1)[0] == 0);
  CHECK(padded.image(1)[5] == 4);  // (1, 1) of the padded image is (0, 0) of the original
  CHECK(padded.image(1)[10] == 7);

  auto normalised = d;
  const auto n = tn::data::Normalizer::fit(normalised);
  n.apply(normalised);
  double sum = 0, squares = 0;
  for (float v : normalised.images) {
    sum += v;
    squares += double(v) * v;
  }
  CHECK(sum / 40 == Approx(0).margin(1e-6));
  CHECK(squares / 40 == Approx(1).epsilon(1e-5));

  const auto hot = tn::data::one_hot(d);
  CHECK(hot.size() == 30);
  CHECK(hot[3 * 4 + 1] == 1);  // sample 4 has label 1
  CHECK(hot[3 * 4 + 0] == 0);
}

TEST_CASE("Augmentations: flip, crop, translate, noise, seeded", "[data]") {
  namespace aug = tn::data::augment;
  std::vector<float> image(2 * 3 * 3);
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = float(i);
  std::mt19937_64 rng(1);

  auto flipped = image;
  aug::HorizontalFlip{1.0, 2, 3, 3}(flipped, rng);
  CHECK(flipped[0] == 2);
  CHECK(flipped[2] == 0);
  CHECK(flipped[9] == 11);  // second channel, first row reversed

  // Shifts keep every pixel's value or fill; a seeded generator repeats them.
  auto a = image, b = image;
  std::mt19937_64 r1(5), r2(5);
  aug::Translate{3, 3, 1, 2, -1.0f}(a, r1);
  aug::Translate{3, 3, 1, 2, -1.0f}(b, r2);
  CHECK(a == b);
  for (float v : a) REQUIRE((v == -1.0f || (v >= 0 && v < 18)));

  // Many random crops with pad 1: each output pixel is its neighbour's value or a zero border.
  bool moved = false;
  for (int trial = 0; trial < 20; ++trial) {
    auto c = image;
    aug::RandomCrop{3, 3, 1, 2}(c, rng);
    moved |= c != image;
  }
  CHECK(moved);

  auto noisy = std::vector<float>(10000, 0.0f);
  aug::GaussianNoise{0.5}(noisy, rng);
  double squares = 0;
  for (float v : noisy) squares += double(v) * v;
  CHECK(squares / 10000 == Approx(0.25).epsilon(0.05));

  auto chained = tn::data::augment::chain(aug::HorizontalFlip{1.0, 2, 3, 3}, aug::GaussianNoise{0});
  auto d = image;
  chained(d, rng);
  CHECK(d == flipped);
}
