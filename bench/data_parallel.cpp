// Data-parallel training throughput (bench/data_parallel.sh runs it in each configuration):
//   data_parallel MODEL BATCH STEPS THREADS [overlap]      MODEL: lenet5 | resnet18 | resnet50
// trains MODEL with fit for STEPS steps of BATCH images per process (after 2 warm-up steps) on
// random data and prints, on rank 0, one table row: processes, threads, whether the gradient
// sums overlap backward (Distributed::overlap), images per second, time per step and the time
// spent in communication (gradient sums and status check-ins; with the overlap, on either
// thread: a sum that overlaps backward counts in full, though it costs the step less).
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <typenet/dist/mpi.hpp>
#include <typenet/typenet.hpp>

namespace tn = typenet;

namespace {

using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;

tn::data::Dataset random_images(std::size_t count, std::size_t c, std::size_t h, std::size_t w) {
  std::mt19937_64 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> images(count * c * h * w);
  for (auto& v : images) v = normal(rng);
  std::vector<int> labels(count);
  for (auto& l : labels) l = int(rng() % 10);
  return tn::data::Dataset::from_arrays(std::move(images), std::move(labels), c, h, w, 10);
}

template <class Net>
void run(const char* name, std::size_t batch, std::size_t steps, bool overlap) {
  auto& world = tn::mpi::world();
  const std::size_t p = world.size();
  constexpr auto dims = Net::input_type::dims;
  tn::Model<Net> model{tn::init::He{}, 1, batch};
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  const tn::FitOptions options{.epochs = 1,
                               .batch = batch,
                               .quiet = true,
                               .distributed = {.communicator = &world, .overlap = overlap}};
  auto fit = [&](std::size_t count) {
    const auto data = random_images(count * batch * p, dims[0], dims[1], dims[2]);
    world.reset_communication_seconds();
    const auto start = std::chrono::steady_clock::now();
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data, options);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  fit(2);  // warm-up: buffers, scratch, optimiser state
  const double seconds = fit(steps);
  const double communication = world.communication_seconds();
  if (world.rank() != 0) return;
  std::printf("| %s | %zu x %zu | %s | %zu | %zu | %.1f | %.1f | %.2f (%.1f%%) |\n", name, p,
              tn::threads(),
              p == 1    ? "–"
              : overlap ? "on"
                        : "off",
              batch, batch * p, double(steps * batch * p) / seconds, 1e3 * seconds / double(steps),
              1e3 * communication / double(steps), 100 * communication / seconds);
}

}  // namespace

int main(int argc, char** argv) try {
  tn::mpi::Environment mpi(argc, argv);
  if (argc != 5 && !(argc == 6 && std::string(argv[5]) == "overlap")) {
    std::fprintf(stderr, "data_parallel lenet5|resnet18|resnet50 BATCH STEPS THREADS [overlap]\n");
    return 2;
  }
  const bool overlap = argc == 6;
  const std::string model = argv[1];
  const std::size_t batch = std::stoul(argv[2]), steps = std::stoul(argv[3]);
  tn::set_threads(std::stoul(argv[4]));
  if (model == "lenet5")
    run<LeNet5>("LeNet-5", batch, steps, overlap);
  else if (model == "resnet18")
    run<tn::models::ResNet18<10>>("ResNet-18", batch, steps, overlap);
  else if (model == "resnet50")
    run<tn::models::ResNet50<10>>("ResNet-50", batch, steps, overlap);
  else
    throw std::invalid_argument("unknown model " + model);
  return 0;
} catch (const std::exception& error) {
  std::fprintf(stderr, "data_parallel: %s\n", error.what());
  return 1;
}
