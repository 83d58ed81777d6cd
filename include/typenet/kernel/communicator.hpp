// Communicator: the processes of a data-parallel job, as training needs them. An interface, so
// that layers (SyncBatchNorm statistics) and fit reach the other processes without knowing MPI;
// dist/mpi.hpp implements it with MPI (the optional target typenet::mpi).
//
//   tn::Communicator& world = tn::mpi::world();
//   world.allreduce_sum(std::span<float>(gradients));   // sums over all processes, in place
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace typenet {

class Communicator {
 public:
  virtual ~Communicator() = default;

  // This process's number, 0 .. size() - 1, and the number of processes.
  virtual std::size_t rank() const = 0;
  virtual std::size_t size() const = 0;

  // Element-wise sums over all processes, in place. Every process receives bitwise the same
  // result, and the same inputs give the same result in every run: the summation order depends
  // on size() alone (a ring: the sum of element block k starts at rank k and goes round).
  virtual void allreduce_sum(std::span<float> values) = 0;
  virtual void allreduce_sum(std::span<double> values) = 0;
  // Exact (integers): any order gives the same sums. The status exchange of fit's steps.
  virtual void allreduce_sum(std::span<std::int64_t> values) = 0;

  // `root`'s values to every process, in place.
  virtual void broadcast(std::span<float> values, std::size_t root) = 0;
  virtual void broadcast(std::span<double> values, std::size_t root) = 0;
  virtual void broadcast(std::span<std::int64_t> values, std::size_t root) = 0;
  virtual void broadcast(std::span<char> values, std::size_t root) = 0;

  // Whether the calls above may come from a thread other than the one that created the
  // communicator, one thread at a time (MPI_THREAD_SERIALIZED): data-parallel training's
  // overlap sums gradients on a thread of its own (Distributed::overlap).
  virtual bool calls_from_any_thread() const { return false; }

  // Wall-clock seconds spent inside the calls above since the last reset (measurements).
  double communication_seconds() const { return seconds_; }
  void reset_communication_seconds() { seconds_ = 0; }

 protected:
  double seconds_ = 0;
};

}  // namespace typenet
