// Dense layers' contractions through Eigen's GEMM.
#include "typenet/kernel/gemm.hpp"

#include <Eigen/Core>

#include "typenet/kernel/parallel.hpp"

namespace typenet::kernel {

namespace {
template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Map = Eigen::Map<RowMajor<T>>;
template <class T>
using ConstMap = Eigen::Map<const RowMajor<T>>;

using Index = Eigen::Index;
}  // namespace

template <class T>
using OuterMap = Eigen::Map<RowMajor<T>, 0, Eigen::OuterStride<>>;
template <class T>
using ConstOuterMap = Eigen::Map<const RowMajor<T>, 0, Eigen::OuterStride<>>;

// Threads split the output units (forward, weight gradient) or the samples (input gradient):
// each writes its own rows or columns, so no reduction across threads is needed.
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index units = Index(end - begin);
    ConstMap<T> X(x, Index(batch), Index(in));
    ConstMap<T> W(weight + begin * in, units, Index(in));
    OuterMap<T> Y(y + begin, Index(batch), units, Eigen::OuterStride<>(Index(out)));
    Y.noalias() = X * W.transpose();
  });
}

template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight, std::size_t batch,
                    std::size_t in, std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index units = Index(end - begin);
    ConstMap<T> X(x, Index(batch), Index(in));
    ConstOuterMap<T> dY(dy + begin, Index(batch), units, Eigen::OuterStride<>(Index(out)));
    Map<T> dW(dweight + begin * in, units, Index(in));
    dW.noalias() = dY.transpose() * X;
  });
  if (dx == nullptr) return;
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index rows = Index(end - begin);
    ConstMap<T> W(weight, Index(out), Index(in));
    ConstMap<T> dY(dy + begin * out, rows, Index(out));
    Map<T> dX(dx + begin * in, rows, Index(in));
    dX.noalias() = dY * W;
  });
}

#define TYPENET_INSTANTIATE(T)                                                                    \
  template void dense_forward<T>(const T*, const T*, T*, std::size_t, std::size_t, std::size_t);  \
  template void dense_backward<T>(const T*, const T*, const T*, T*, T*, std::size_t, std::size_t, \
                                  std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
