// The MPI communicator: a ring allreduce of floating-point sums over point-to-point messages
// (so that the summation order is ours, not the MPI library's choice of algorithm), MPI's own
// collectives for integer sums and broadcasts.
#include "typenet/dist/mpi.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace typenet::mpi {

namespace {

void check(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(std::string("MPI: ") + call + " failed: " + std::string(text, length));
}

template <class T>
MPI_Datatype datatype();
template <>
MPI_Datatype datatype<float>() {
  return MPI_FLOAT;
}
template <>
MPI_Datatype datatype<double>() {
  return MPI_DOUBLE;
}
template <>
MPI_Datatype datatype<std::int64_t>() {
  return MPI_INT64_T;
}
template <>
MPI_Datatype datatype<char>() {
  return MPI_CHAR;
}

// Times the communication of one call into the communicator's counter.
class Timer {
 public:
  explicit Timer(double& seconds) : seconds_(seconds) {}
  ~Timer() {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

 private:
  double& seconds_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

constexpr int ring_tag = 7301;
// What MPI_Init_thread provided: MPI_THREAD_SERIALIZED or more lets a thread other than the
// main one sum gradients while the main thread computes (never both in MPI at once).
int thread_level = MPI_THREAD_SINGLE;
// MPI counts are ints: larger messages go in pieces.
constexpr std::size_t max_count = std::size_t{1} << 30;

class World final : public Communicator {
 public:
  World() {
    int value = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &value);
    rank_ = std::size_t(value);
    MPI_Comm_size(MPI_COMM_WORLD, &value);
    size_ = std::size_t(value);
  }
  std::size_t rank() const override { return rank_; }
  std::size_t size() const override { return size_; }
  bool calls_from_any_thread() const override { return thread_level >= MPI_THREAD_SERIALIZED; }

  void allreduce_sum(std::span<float> values) override { ring(values, float_scratch_); }
  void allreduce_sum(std::span<double> values) override { ring(values, double_scratch_); }
  void allreduce_sum(std::span<std::int64_t> values) override {
    Timer timer(seconds_);
    for (std::size_t begin = 0; begin < values.size(); begin += max_count) {
      const auto piece = values.subspan(begin, std::min(max_count, values.size() - begin));
      check(MPI_Allreduce(MPI_IN_PLACE, piece.data(), int(piece.size()), MPI_INT64_T, MPI_SUM,
                          MPI_COMM_WORLD),
            "MPI_Allreduce");
    }
  }

  void broadcast(std::span<float> values, std::size_t root) override { bcast(values, root); }
  void broadcast(std::span<double> values, std::size_t root) override { bcast(values, root); }
  void broadcast(std::span<std::int64_t> values, std::size_t root) override { bcast(values, root); }
  void broadcast(std::span<char> values, std::size_t root) override { bcast(values, root); }

 private:
  template <class T>
  void bcast(std::span<T> values, std::size_t root) {
    if (root >= size_)
      throw std::out_of_range("Communicator::broadcast: root " + std::to_string(root) + " of " +
                              std::to_string(size_) + " processes");
    Timer timer(seconds_);
    for (std::size_t begin = 0; begin < values.size(); begin += max_count) {
      const auto piece = values.subspan(begin, std::min(max_count, values.size() - begin));
      check(MPI_Bcast(piece.data(), int(piece.size()), datatype<T>(), int(root), MPI_COMM_WORLD),
            "MPI_Bcast");
    }
  }

  // Ring allreduce (Patarasuk & Yuan 2009, as in Horovod and NCCL): p - 1 steps of
  // reduce-scatter, then p - 1 of allgather, each moving 1/p of the values to the right
  // neighbour. Block k's sum is x_k + ... accumulated rank after rank from k round the ring, an
  // order fixed by p; the allgather then copies every finished block to all ranks, so all hold
  // the same bits. Each rank sends and receives 2 (p - 1) / p of the values.
  template <class T>
  void ring(std::span<T> values, std::vector<T>& scratch) {
    const std::size_t p = size_, n = values.size();
    if (p == 1 || n == 0) return;
    Timer timer(seconds_);
    const auto begin = [&](std::size_t block) { return n / p * block + std::min(block, n % p); };
    const auto count = [&](std::size_t block) { return begin(block + 1) - begin(block); };
    if (count(0) > max_count) {  // blocks beyond an int count: sum in pieces
      for (std::size_t at = 0; at < n; at += max_count * p)
        ring(values.subspan(at, std::min(max_count * p, n - at)), scratch);
      return;
    }
    scratch.resize(std::max(scratch.size(), count(0)));  // once: later calls reuse it
    const int right = int((rank_ + 1) % p), left = int((rank_ + p - 1) % p);
    T* v = values.data();
    for (std::size_t step = 0; step + 1 < p; ++step) {
      const std::size_t send = (rank_ + p - step) % p, receive = (rank_ + 2 * p - step - 1) % p;
      check(MPI_Sendrecv(v + begin(send), int(count(send)), datatype<T>(), right, ring_tag,
                         scratch.data(), int(count(receive)), datatype<T>(), left, ring_tag,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Sendrecv");
      T* to = v + begin(receive);
      const T* from = scratch.data();
      for (std::size_t i = 0, m = count(receive); i < m; ++i) to[i] += from[i];
    }
    for (std::size_t step = 0; step + 1 < p; ++step) {
      const std::size_t send = (rank_ + 1 + p - step) % p, receive = (rank_ + p - step) % p;
      check(MPI_Sendrecv(v + begin(send), int(count(send)), datatype<T>(), right, ring_tag,
                         v + begin(receive), int(count(receive)), datatype<T>(), left, ring_tag,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Sendrecv");
    }
  }

  std::size_t rank_ = 0, size_ = 1;
  std::vector<float> float_scratch_;
  std::vector<double> double_scratch_;
};

}  // namespace

Environment::Environment(int& argc, char**& argv) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised != 0)
    throw std::runtime_error("mpi::Environment: MPI is already initialised (one Environment)");
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  thread_level = provided;
}

Environment::~Environment() {
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (finalised == 0) MPI_Finalize();
}

Communicator& world() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised == 0)
    throw std::logic_error("mpi::world: MPI is not initialised (create an mpi::Environment first)");
  static World communicator;
  return communicator;
}

}  // namespace typenet::mpi
