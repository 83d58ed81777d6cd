// The pre-packed product of kernel/gemm.hpp (the recurrent layers' steps) against a brute-force
// product in double, and bitwise against gemm() wherever gemm() runs its blocked product.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <typenet/kernel/packed_gemm.hpp>
#include <typenet/typenet.hpp>
#include <vector>

namespace kn = typenet::kernel;

namespace {

template <class T>
void check_packed(kn::Op op_b, std::size_t m, std::size_t n, std::size_t k, bool accumulate,
                  std::mt19937_64& rng) {
  std::uniform_real_distribution<T> u(-1, 1);
  // Row strides wider than the rows, as the recurrent layers' steps use them.
  const std::size_t lda = k + 3, ldc = n + 5;
  const std::size_t ldb = op_b == kn::Op::transpose ? k + 2 : n + 2;
  const std::size_t b_rows = op_b == kn::Op::transpose ? n : k;
  std::vector<T> a(m * lda), b(b_rows * ldb), c(m * ldc);
  for (auto& v : a) v = u(rng);
  for (auto& v : b) v = u(rng);
  for (auto& v : c) v = u(rng);
  std::vector<T> c_packed = c, c_gemm = c;
  // The buffer's 64-byte alignment is part of the contract; AlignedBuffer provides it.
  typenet::AlignedBuffer<T> packed(kn::gemm_packed_size<T>(m, n, k));
  kn::gemm_pack_b(op_b, m, n, k, b.data(), ldb, packed.data());
  kn::gemm_packed_b(m, n, k, a.data(), lda, packed.data(), c_packed.data(), ldc, accumulate);
  kn::gemm(kn::Op::none, op_b, m, n, k, a.data(), lda, b.data(), ldb, c_gemm.data(), ldc,
           accumulate);
  const bool blocked = m + n + k >= 20 && m > 1 && n > 1;
  double worst = 0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double expected = accumulate ? double(c[i * ldc + j]) : 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        const T bv = op_b == kn::Op::transpose ? b[j * ldb + p] : b[p * ldb + j];
        expected += double(a[i * lda + p]) * double(bv);
      }
      worst = std::max(worst, std::abs(double(c_packed[i * ldc + j]) - expected));
      if (blocked) REQUIRE(c_packed[i * ldc + j] == c_gemm[i * ldc + j]);
    }
  // k products of magnitude <= 1 summed in T: rounding stays far below 4 k epsilon, while a
  // wrong index or block costs O(1).
  const double eps = double(std::numeric_limits<T>::epsilon());
  INFO("m " << m << " n " << n << " k " << k << " worst " << worst);
  REQUIRE(worst <= 4 * eps * double(k));
  // Columns beyond n in each row of c are left alone.
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = n; j < ldc; ++j) REQUIRE(c_packed[i * ldc + j] == c[i * ldc + j]);
}

}  // namespace

TEMPLATE_TEST_CASE("A pre-packed GEMM operand gives gemm()'s product", "[kernel][gemm]", float,
                   double) {
  std::mt19937_64 rng(29);
  // Shapes of the recurrent steps (LSTM(128): 512 x 128 hidden weight, read both ways), sizes
  // that split into several row or depth blocks, odd sizes and one-row products.
  const std::size_t shapes[][3] = {{64, 512, 128}, {64, 128, 512}, {33, 384, 96}, {7, 50, 700},
                                   {1, 40, 30},    {5, 1, 9},      {3, 4, 5},     {2, 600, 2}};
  for (const auto& s : shapes)
    for (const auto op : {kn::Op::none, kn::Op::transpose})
      for (const bool accumulate : {false, true})
        check_packed<TestType>(op, s[0], s[1], s[2], accumulate, rng);
}
