// Data-parallel training over MPI (the optional target typenet::mpi; docs/distributed.md).
//
//   int main(int argc, char** argv) {
//     tn::mpi::Environment mpi(argc, argv);          // MPI_Init_thread ... MPI_Finalize
//     auto& world = tn::mpi::world();
//     tn::fit(model, opt, loss, train, {.batch = 32, .distributed = {.communicator = &world}});
//     if (world.rank() == 0) history.write_csv("history.csv");
//   }
//   $ mpirun -np 2 ./program
//
// This header does not include <mpi.h>: a program that trains on several processes needs MPI's
// libraries, not its headers.
#pragma once

#include "typenet/kernel/communicator.hpp"

namespace typenet::mpi {

// Initialises MPI for the life of the object and finalises it at the end. It asks for
// MPI_THREAD_SERIALIZED: the main thread calls MPI, and so does fit's gradient-summing thread
// with Distributed::overlap, never both at once (typenet's kernel threads never do); a library
// that gives less turns the overlap off (Communicator::calls_from_any_thread). One per program,
// before any other use of this header. Throws std::runtime_error when MPI is already
// initialised or its initialisation fails.
class Environment {
 public:
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
};

// Every process of the job (MPI_COMM_WORLD). Sums are a ring allreduce over MPI_Sendrecv, so
// their order is fixed by the number of processes (Communicator::allreduce_sum); integer sums
// and broadcasts are MPI's own collectives. Throws std::logic_error without an Environment.
Communicator& world();

}  // namespace typenet::mpi
