// A fixed pool of worker threads, started on first use.
#include "typenet/kernel/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace typenet {

namespace {

// Asked once: glibc answers hardware_concurrency() by reading /sys, and every convolution call
// asks (its scratch is sized per possible thread).
std::size_t hardware_threads() {
  static const std::size_t count = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  return count;
}

thread_local bool inside_parallel_region = false;

class Pool {
 public:
  explicit Pool(std::size_t workers) {
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this, i] { work(i + 1); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
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
      pending_ = chunks - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::exception_ptr own_error;
    {
      const RegionGuard guard;
      try {
        body(0, count / chunks, 0);
      } catch (...) {
        own_error = std::current_exception();
      }
    }
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
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
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
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
        --pending_;
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
  std::size_t pending_ = 0;
  std::size_t generation_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
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
