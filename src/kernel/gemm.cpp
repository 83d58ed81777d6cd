// Contractions through Eigen's GEMM. Eigen's product expressions take their packing buffers from
// the stack up to EIGEN_STACK_ALLOCATION_LIMIT (128 KiB) and from the heap beyond: every
// convolution of a 224 x 224 network allocated once per sample and step. gemm() makes Eigen's
// choices itself and hands the blocked product buffers of its own.
#include "typenet/kernel/gemm.hpp"
#include "typenet/kernel/packed_gemm.hpp"

#include <Eigen/Core>
#include <algorithm>

#include "typenet/kernel/parallel.hpp"
#include "typenet/kernel/scratch.hpp"

namespace typenet::kernel {

namespace {
using Index = Eigen::Index;
template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ColMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
template <class M>
using Strided = Eigen::Map<M, 0, Eigen::OuterStride<>>;

// Eigen's blocking of a product with a row-major result (which Eigen computes as the transposed,
// column-major product: hence n and m swapped), its buffers in the thread's packing scratch.
template <class T>
class ArenaBlocking : public Eigen::internal::level3_blocking<T, T> {
 public:
  ArenaBlocking(Index m, Index n, Index k) {
    this->m_mc = n;
    this->m_nc = m;
    this->m_kc = k;
    Eigen::internal::computeProductBlockingSizes<T, T, 1>(this->m_kc, this->m_mc, this->m_nc,
                                                          Index(1));
    const std::size_t a = std::size_t(this->m_mc * this->m_kc);
    const std::size_t b = std::size_t(this->m_kc * this->m_nc);
    const std::size_t a_padded = (a * sizeof(T) + 63) / 64 * 64 / sizeof(T);
    T* space = static_cast<T*>(packing_scratch((a_padded + b) * sizeof(T)));
    this->m_blockA = space;
    this->m_blockB = space + a_padded;
  }
};

// c += a b through Eigen's blocked GEMM, for row-major c; AOrder/BOrder: how a and b are stored.
template <class T, int AOrder, int BOrder>
void blocked(Index m, Index n, Index k, const T* a, Index lda, const T* b, Index ldb, T* c,
             Index ldc) {
  ArenaBlocking<T> blocking(m, n, k);
  Eigen::internal::general_matrix_matrix_product<Index, T, AOrder, false, T, BOrder, false,
                                                 Eigen::RowMajor, 1>::run(m, n, k, a, lda, b, ldb,
                                                                          c, 1, ldc, T(1), blocking,
                                                                          nullptr);
}

template <class T, class A, class B>
void expression(const A& a, const B& b, T* c, Index m, Index n, Index ldc, bool accumulate) {
  Strided<RowMajor<T>> C(c, m, n, Eigen::OuterStride<>(ldc));
  if (accumulate)
    C.noalias() += a * b;
  else
    C.noalias() = a * b;
}
}  // namespace

template <class T>
void gemm(Op op_a, Op op_b, std::size_t m_, std::size_t n_, std::size_t k_, const T* a,
          std::size_t lda_, const T* b, std::size_t ldb_, T* c, std::size_t ldc_, bool accumulate) {
  const Index m = Index(m_), n = Index(n_), k = Index(k_);
  const Index lda = Index(lda_), ldb = Index(ldb_), ldc = Index(ldc_);
  const bool ta = op_a == Op::transpose, tb = op_b == Op::transpose;
  // Eigen's own dispatch (GeneralProduct.h): coefficient-based below 20, GEMV for a vector.
  // Neither needs a heap buffer here; keep them as Eigen runs them.
  if (n == 1 && (tb || ldb == 1) && ldc == 1) {
    // A matrix times a vector (a convolution with a 1 x 1 output, and its input gradient): the
    // vectors mapped with a compile-time unit stride, so Eigen's GEMV uses them in place. Mapped
    // with a run-time stride, Eigen copies them into a temporary, on the heap past 128 KiB.
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    const Eigen::Map<const Vector> B(b, k);
    Eigen::Map<Vector> C(c, m);
    const auto product = [&](const auto& A) {
      if (accumulate)
        C.noalias() += A * B;
      else
        C.noalias() = A * B;
    };
    if (ta)
      product(Strided<const ColMajor<T>>(a, m, k, Eigen::OuterStride<>(lda)));
    else
      product(Strided<const RowMajor<T>>(a, m, k, Eigen::OuterStride<>(lda)));
    return;
  }
  if (m + n + k < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD || m == 1 || n == 1) {
    // A row-major k x m matrix read transposed is the column-major m x k one.
    const auto A = [&]<class M>(M*) {
      return Strided<const M>(a, m, k, Eigen::OuterStride<>(lda));
    };
    const auto B = [&]<class M>(M*) {
      return Strided<const M>(b, k, n, Eigen::OuterStride<>(ldb));
    };
    RowMajor<T>* row = nullptr;
    ColMajor<T>* col = nullptr;
    if (!ta && !tb) expression<T>(A(row), B(row), c, m, n, ldc, accumulate);
    if (!ta && tb) expression<T>(A(row), B(col), c, m, n, ldc, accumulate);
    if (ta && !tb) expression<T>(A(col), B(row), c, m, n, ldc, accumulate);
    if (ta && tb) expression<T>(A(col), B(col), c, m, n, ldc, accumulate);
    return;
  }
  if (!accumulate)
    for (Index i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
  if (!ta && !tb) blocked<T, Eigen::RowMajor, Eigen::RowMajor>(m, n, k, a, lda, b, ldb, c, ldc);
  if (!ta && tb) blocked<T, Eigen::RowMajor, Eigen::ColMajor>(m, n, k, a, lda, b, ldb, c, ldc);
  if (ta && !tb) blocked<T, Eigen::ColMajor, Eigen::RowMajor>(m, n, k, a, lda, b, ldb, c, ldc);
  if (ta && tb) blocked<T, Eigen::ColMajor, Eigen::ColMajor>(m, n, k, a, lda, b, ldb, c, ldc);
}

namespace {
// The blocking of gemm()'s product with a row-major m x n result (Eigen computes its transpose,
// op(b)^T a^T, so ArenaBlocking swaps m and n), and a walk over its blocks of op(b)^T (n x k):
// f(row, depth, rows, depths, offset), each block's packed scalars from `offset`, padded to 64
// bytes because Eigen's kernel loads them as aligned packets.
template <class T, class F>
std::size_t for_each_block(Index m, Index n, Index k, F&& f) {
  Index nc = m, mc = n, kc = k;
  Eigen::internal::computeProductBlockingSizes<T, T, 1>(kc, mc, nc, Index(1));
  mc = std::min(mc, n);
  constexpr std::size_t line = 64 / sizeof(T);
  std::size_t offset = 0;
  for (Index i = 0; i < n; i += mc)
    for (Index d = 0; d < k; d += kc) {
      const Index rows = std::min(mc, n - i), depths = std::min(kc, k - d);
      f(i, d, rows, depths, offset);
      offset += (std::size_t(rows * depths) + line - 1) / line * line;
    }
  return offset;
}

template <class T, int Order>
void pack_left(Index m, Index n, Index k, const T* b, Index ldb, T* packed) {
  using Traits = Eigen::internal::gebp_traits<T, T>;
  using Mapper = Eigen::internal::const_blas_data_mapper<T, Index, Order>;
  Eigen::internal::gemm_pack_lhs<T, Index, Mapper, Traits::mr, Traits::LhsProgress,
                                 typename Traits::LhsPacket4Packing, Order>
      pack;
  const Mapper left(b, ldb);
  for_each_block<T>(m, n, k, [&](Index i, Index d, Index rows, Index depths, std::size_t at) {
    pack(packed + at, left.getSubMapper(i, d), depths, rows);
  });
}
}  // namespace

template <class T>
std::size_t gemm_packed_size(std::size_t m, std::size_t n, std::size_t k) {
  return for_each_block<T>(Index(m), Index(n), Index(k),
                           [](Index, Index, Index, Index, std::size_t) {});
}

template <class T>
void gemm_pack_b(Op op_b, std::size_t m, std::size_t n, std::size_t k, const T* b, std::size_t ldb,
                 T* packed) {
  // op(b)^T is b itself for Op::transpose (row-major n x k), b^T otherwise (column-major).
  if (op_b == Op::transpose)
    pack_left<T, Eigen::RowMajor>(Index(m), Index(n), Index(k), b, Index(ldb), packed);
  else
    pack_left<T, Eigen::ColMajor>(Index(m), Index(n), Index(k), b, Index(ldb), packed);
}

template <class T>
void gemm_packed_b(std::size_t m_, std::size_t n_, std::size_t k_, const T* a, std::size_t lda,
                   const T* packed, T* c, std::size_t ldc, bool accumulate) {
  using Traits = Eigen::internal::gebp_traits<T, T>;
  using RightMapper = Eigen::internal::const_blas_data_mapper<T, Index, Eigen::ColMajor>;
  using ResultMapper = Eigen::internal::blas_data_mapper<T, Index, Eigen::ColMajor>;
  const Index m = Index(m_), n = Index(n_), k = Index(k_);
  if (!accumulate)
    for (Index i = 0; i < m; ++i) std::fill(c + i * Index(ldc), c + i * Index(ldc) + n, T(0));
  // a^T (k x m, column-major), packed whole once: every row block of op(b)^T reuses it. The
  // kernel reads this operand by broadcasts, so its depth blocks need no alignment.
  T* right = static_cast<T*>(packing_scratch(std::size_t(k * m) * sizeof(T)));
  Eigen::internal::gemm_pack_rhs<T, Index, RightMapper, Traits::nr, Eigen::ColMajor> pack;
  Eigen::internal::gebp_kernel<T, T, Index, ResultMapper, Traits::mr, Traits::nr, false, false>
      kernel;
  const RightMapper a_t(a, Index(lda));
  const ResultMapper result(c, Index(ldc));
  for_each_block<T>(m, n, k, [&](Index i, Index d, Index rows, Index depths, std::size_t at) {
    if (i == 0) pack(right + d * m, a_t.getSubMapper(d, 0), depths, m);
    kernel(result.getSubMapper(i, 0), packed + at, right + d * m, rows, depths, m, T(1));
  });
}

// Threads split the output units (forward, weight gradient) or the samples (input gradient):
// each writes its own rows or columns, so no reduction across threads is needed.
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    // y[:, begin:end] = x W[begin:end]^T
    gemm(Op::none, Op::transpose, batch, end - begin, in, x, in, weight + begin * in, in, y + begin,
         out, false);
  });
}

template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight, std::size_t batch,
                    std::size_t in, std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    // dW[begin:end] = dy[:, begin:end]^T x
    gemm(Op::transpose, Op::none, end - begin, in, batch, dy + begin, out, x, in,
         dweight + begin * in, in, false);
  });
  if (dx == nullptr) return;
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    // dx[begin:end] = dy[begin:end] W
    gemm(Op::none, Op::none, end - begin, in, out, dy + begin * out, out, weight, in,
         dx + begin * in, in, false);
  });
}

#define TYPENET_INSTANTIATE(T)                                                                    \
  template void gemm<T>(Op, Op, std::size_t, std::size_t, std::size_t, const T*, std::size_t,     \
                        const T*, std::size_t, T*, std::size_t, bool);                            \
  template std::size_t gemm_packed_size<T>(std::size_t, std::size_t, std::size_t);                \
  template void gemm_pack_b<T>(Op, std::size_t, std::size_t, std::size_t, const T*, std::size_t,  \
                               T*);                                                               \
  template void gemm_packed_b<T>(std::size_t, std::size_t, std::size_t, const T*, std::size_t,    \
                                 const T*, T*, std::size_t, bool);                                \
  template void dense_forward<T>(const T*, const T*, T*, std::size_t, std::size_t, std::size_t);  \
  template void dense_backward<T>(const T*, const T*, const T*, T*, T*, std::size_t, std::size_t, \
                                  std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
