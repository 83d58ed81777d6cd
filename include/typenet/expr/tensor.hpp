// Tensor<T, Shape<D...>>: a batch of samples whose per-sample shape is in the type.
//
// The batch size is a run-time value bounded by a capacity fixed at construction, so a network
// allocates every buffer once and then runs any batch up to that size without allocating.
// Layout: sample-major, then the per-sample shape in row-major order; for an image C x H x W
// that is NCHW (docs/design.md says why). Storage is 64-byte aligned (one cache line, one
// AVX-512 register) so that every tensor starts on a vector boundary.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "typenet/expr/detail/tensor_check.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet {

inline constexpr std::size_t tensor_alignment = 64;

namespace detail {
struct aligned_free {
  void operator()(void* p) const noexcept { std::free(p); }
};

template <class T>
std::unique_ptr<T[], aligned_free> aligned_array(std::size_t count) {
  if (count == 0) return nullptr;
  const std::size_t bytes =
      (count * sizeof(T) + tensor_alignment - 1) / tensor_alignment * tensor_alignment;
  void* memory = std::aligned_alloc(tensor_alignment, bytes);
  if (memory == nullptr) throw std::bad_alloc{};
  // Zero-filled: a fresh tensor never exposes uninitialised memory (and sanitizers agree).
  std::memset(memory, 0, bytes);
  return std::unique_ptr<T[], aligned_free>(static_cast<T*>(memory));
}
}  // namespace detail

// A 64-byte aligned, zero-initialised array of T that owns its memory.
template <class T>
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t count)
      : data_(detail::aligned_array<T>(count)), size_(count) {}
  AlignedBuffer(const AlignedBuffer& other) : AlignedBuffer(other.size_) {
    if (size_ != 0) std::memcpy(data_.get(), other.data_.get(), size_ * sizeof(T));
  }
  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(const AlignedBuffer& other) {
    if (this != &other) *this = AlignedBuffer(other);
    return *this;
  }
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::span<T> span() { return {data(), size_}; }
  std::span<const T> span() const { return {data(), size_}; }

 private:
  std::unique_ptr<T[], detail::aligned_free> data_;
  std::size_t size_ = 0;
};

template <class T, class S>
class Tensor {
  static_assert(std::is_floating_point_v<T>, "Tensor<T, Shape> requires T to be float or double");
  static_assert(ShapeType<S>, "Tensor<T, Shape> requires Shape to be a tn::Shape<...>");

 public:
  using scalar = T;
  using shape = S;
  static constexpr std::size_t sample_size = S::size;

  // Room for `capacity` samples; the batch starts full.
  explicit Tensor(std::size_t capacity = 1)
      : storage_(capacity * sample_size), capacity_(capacity), batch_(capacity) {}

  std::size_t capacity() const { return capacity_; }
  std::size_t batch() const { return batch_; }
  std::size_t size() const { return batch_ * sample_size; }

  // Uses the first `n` samples of the storage; never allocates.
  void set_batch(std::size_t n) {
    if (n > capacity_)
      throw std::length_error("Tensor::set_batch(" + std::to_string(n) +
                              "): the batch exceeds the capacity of " + std::to_string(capacity_) +
                              " samples fixed at construction");
    batch_ = n;
  }

  T* data() { return storage_.data(); }
  const T* data() const { return storage_.data(); }
  T* sample(std::size_t n) { return data() + n * sample_size; }
  const T* sample(std::size_t n) const { return data() + n * sample_size; }
  std::span<T> span() { return {data(), size()}; }
  std::span<const T> span() const { return {data(), size()}; }

  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }

  // Element (n, i, j, ...) of the batch: sample n, then one index per axis of the shape.
  template <class... Index>
  requires(sizeof...(Index) == S::rank) T& operator()(std::size_t n, Index... index) {
    return data()[offset(n, index...)];
  }
  template <class... Index>
  requires(sizeof...(Index) == S::rank) const T& operator()(std::size_t n, Index... index) const {
    return data()[offset(n, index...)];
  }

  // Evaluates an element-wise expression in one pass. Defined in expr/evaluate.hpp, which the
  // expressions themselves include: a tensor knows nothing of expression nodes.
  template <class E>
  requires requires { typename E::is_typenet_expression; }
  Tensor& operator=(const E& e);

  void fill(T value) {
    for (auto& x : span()) x = value;
  }

 private:
  template <class... Index>
  static std::size_t offset(std::size_t n, Index... index) {
    std::size_t flat = 0;
    std::size_t axis = 0;
    ((flat = flat * S::dims[axis++] + static_cast<std::size_t>(index)), ...);
    return n * sample_size + flat;
  }

  AlignedBuffer<T> storage_;
  std::size_t capacity_;
  std::size_t batch_;
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
