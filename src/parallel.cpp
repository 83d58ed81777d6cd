// A fixed pool of worker threads, started on first use.
#include "typenet/kernel/parallel.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace typenet {

namespace {

std::size_t hardware_threads() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
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

  // Runs body on chunks 1 .. chunks-1 in the workers and chunk 0 here.
  void run(std::size_t chunks, const std::function<void(std::size_t)>& body) {
    {
      std::lock_guard lock(mutex_);
      body_ = &body;
      chunks_ = chunks;
      pending_ = chunks - 1;
      ++generation_;
    }
    wake_.notify_all();
    inside_parallel_region = true;
    body(0);
    inside_parallel_region = false;
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    body_ = nullptr;
  }

 private:
  void work(std::size_t chunk) {
    inside_parallel_region = true;
    std::size_t seen = 0;
    for (;;) {
      const std::function<void(std::size_t)>* body = nullptr;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        if (chunk >= chunks_) continue;
        body = body_;
      }
      (*body)(chunk);
      {
        std::lock_guard lock(mutex_);
        --pending_;
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t chunks_ = 0;
  std::size_t pending_ = 0;
  std::size_t generation_ = 0;
  bool stopping_ = false;
};

std::size_t thread_count = hardware_threads();

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

void parallel_for(std::size_t count,
                  const std::function<void(std::size_t, std::size_t, std::size_t)>& body) {
  const std::size_t chunks = std::min(count, thread_count);
  if (chunks <= 1 || inside_parallel_region) {
    if (count > 0) body(0, count, 0);
    return;
  }
  const std::function<void(std::size_t)> chunk_body = [&](std::size_t chunk) {
    body(count * chunk / chunks, count * (chunk + 1) / chunks, chunk);
  };
  std::lock_guard lock(region_mutex());
  pool().run(chunks, chunk_body);
}

}  // namespace kernel

}  // namespace typenet
