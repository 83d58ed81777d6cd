// A fixed pool of worker threads, started on first use.
#include "typenet/kernel/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace typenet {

namespace {

// Asked once: glibc answers hardware_concurrency() by reading /sys, and every convolution call
// asks (its scratch is sized per possible thread).
std::size_t hardware_threads() {
  static const std::size_t count = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  return count;
}

thread_local bool inside_parallel_region = false;

// How long a thread that waits for the pool polls before it sleeps on a condition variable. A
// sleep and its wake-up cost a futex call on each side and a context switch (in the 2-vCPU VMs
// we measure on, 10-12 % of all CPU samples of a 2-thread LeNet-5 training step, whose regions
// are tens of microseconds apart); a wait shorter than this costs one polling core instead.
// OpenMP runtimes poll the same way before blocking (GOMP_SPINCOUNT, KMP_BLOCKTIME).
constexpr auto spin_time = std::chrono::microseconds(100);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();  // lets a sibling hardware thread run while this one polls
#endif
}

// Polls ready() for up to spin_time; whether it became true. Every 64 polls (about a
// microsecond) it also yields: when the thread it waits for shares its core (more threads than
// the process's CPUs: taskset, or other busy processes), the scheduler runs that thread now
// instead of after this one's time slice or its 100 us; on an idle core the yield returns at once.
template <class F>
bool spin_until(F&& ready) {
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 1;; ++i) {
    if (ready()) return true;
    cpu_relax();
    if (i % 64 == 0) {
      if (std::chrono::steady_clock::now() - start > spin_time) return ready();
      std::this_thread::yield();
    }
  }
}

class Pool {
 public:
  explicit Pool(std::size_t workers) {
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this, i] { work(i + 1); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // Runs body on chunks 1 .. chunks-1 in the workers and chunk 0 here. Always waits for every
  // chunk, even when one throws (the body lives on the caller's stack); the first exception is
  // rethrown here.
  void run(std::size_t chunks, const kernel::ChunkBody& body, std::size_t count) {
    {
      std::lock_guard lock(mutex_);
      body_ = &body;
      count_ = count;
      chunks_ = chunks;
      pending_.store(chunks - 1, std::memory_order_relaxed);
      error_ = nullptr;
      // Release: a worker that sees the new generation while polling sees the fields above.
      generation_.store(generation_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }
    wake_.notify_all();  // no system call when every worker is still polling
    std::exception_ptr own_error;
    {
      const RegionGuard guard;
      try {
        body(0, count / chunks, 0);
      } catch (...) {
        own_error = std::current_exception();
      }
    }
    // pending_ drops to zero under the mutex after the last worker has stored its error, so
    // once it reads zero (acquire) error_ is final, whether seen here or after sleeping.
    if (!spin_until([&] { return pending_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [&] { return pending_.load(std::memory_order_relaxed) == 0; });
    }
    body_ = nullptr;
    if (own_error) std::rethrow_exception(own_error);
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  struct RegionGuard {
    RegionGuard() { inside_parallel_region = true; }
    ~RegionGuard() { inside_parallel_region = false; }
  };

  void work(std::size_t chunk) {
    inside_parallel_region = true;
    std::size_t seen = 0;
    for (;;) {
      const kernel::ChunkBody* body = nullptr;
      std::size_t count = 0, chunks = 0;
      const auto woken = [&] {
        return stopping_.load(std::memory_order_acquire) ||
               generation_.load(std::memory_order_acquire) != seen;
      };
      spin_until(woken);
      {
        // Taken either way: the fields below are written under it, and a worker that stopped
        // polling sleeps here until run() or the destructor notifies.
        std::unique_lock lock(mutex_);
        wake_.wait(lock, woken);
        if (stopping_.load(std::memory_order_relaxed)) return;
        seen = generation_.load(std::memory_order_relaxed);
        if (chunk >= chunks_) continue;
        body = body_;
        count = count_;
        chunks = chunks_;
      }
      std::exception_ptr failure;
      try {
        (*body)(count * chunk / chunks, count * (chunk + 1) / chunks, chunk);
      } catch (...) {
        failure = std::current_exception();
      }
      {
        std::lock_guard lock(mutex_);
        if (failure && !error_) error_ = failure;
        pending_.fetch_sub(1, std::memory_order_release);
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const kernel::ChunkBody* body_ = nullptr;
  std::size_t count_ = 0;
  std::size_t chunks_ = 0;
  // Atomic because run() and the workers poll them outside the mutex; written under it.
  std::atomic<std::size_t> pending_ = 0;
  std::atomic<std::size_t> generation_ = 0;
  std::exception_ptr error_;
  std::atomic<bool> stopping_ = false;
};

std::atomic<std::size_t> thread_count = hardware_threads();

Pool& pool() {
  static Pool instance(hardware_threads() - 1);
  return instance;
}

// One parallel region at a time: a second caller waits (kernels are not re-entrant per pool).
std::mutex& region_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void set_threads(std::size_t count) {
  if (count < 1 || count > max_threads())
    throw std::invalid_argument("typenet::set_threads(" + std::to_string(count) +
                                "): the count must be between 1 and " +
                                std::to_string(max_threads()) + " (the hardware threads)");
  thread_count = count;
}
std::size_t threads() { return thread_count; }
std::size_t max_threads() { return hardware_threads(); }

namespace kernel {

void parallel_for(std::size_t count, ChunkBody body) {
  const std::size_t chunks = std::min(count, thread_count.load());
  if (chunks <= 1 || inside_parallel_region) {
    if (count > 0) body(0, count, 0);
    return;
  }
  std::lock_guard lock(region_mutex());
  pool().run(chunks, body, count);
}

}  // namespace kernel

}  // namespace typenet
