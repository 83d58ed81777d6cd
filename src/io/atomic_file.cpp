// Atomic file replacement with POSIX calls: the same for every caller, compiled once.
#include "typenet/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace typenet::io {

namespace {

// The file, what failed, and the system's reason when there is one (error != 0).
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error = 0) {
  throw std::runtime_error(path.string() + ": " + what +
                           (error != 0 ? " (" + std::string(std::strerror(error)) + ")" : ""));
}

// Closes a descriptor and removes a named temporary unless released.
struct Pending {
  int fd = -1;
  std::string temporary;
  ~Pending() {
    if (fd >= 0) ::close(fd);
    if (!temporary.empty()) ::unlink(temporary.c_str());
  }
};

std::string unique_name(const std::filesystem::path& path) {
  static std::atomic<unsigned long> counter{0};
  return path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "cannot write", errno);
    }
    bytes.remove_prefix(std::size_t(n));
  }
}

// Removes the temporaries of writers that were killed between link and rename: names
// "<file>.tmp.<pid>.<n>" whose process no longer exists. A live writer's are left alone.
void remove_stale_temporaries(const std::filesystem::path& directory, const std::string& file) {
  const std::string prefix = file + ".tmp.";
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) ::unlink(it->path().c_str());
  }
}

// What is at `path` now must be something a rename may replace: nothing, a regular file, or a
// symbolic link (the link is replaced, not what it points to). A rename over a device or a FIFO
// would replace it by a regular file: run as root, `--checkpoint /dev/null` took the system's
// /dev/null away.
void check_target(const std::filesystem::path& path) {
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) != 0) return;
  if (S_ISLNK(existing.st_mode)) {
    struct stat target {};
    if (::stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)) fail(path, "is a directory");
    return;
  }
  if (S_ISDIR(existing.st_mode)) fail(path, "is a directory");
  if (!S_ISREG(existing.st_mode))
    fail(path,
         "is not a regular file (a device, FIFO or socket), which a file written here "
         "would replace");
}

}  // namespace

void check_writable(const std::filesystem::path& path) {
  if (path.filename().empty()) fail(path, "not a file name");
  const std::filesystem::path directory =
      path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  check_target(path);
  Pending probe;
  probe.temporary = unique_name(path);
  probe.fd = ::open(probe.temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (probe.fd < 0) {
    const int error = errno;
    probe.temporary.clear();
    fail(path, "cannot create a file in " + directory.string(), error);
  }
}  // the probe closed and removed

void write_line(int fd, std::string_view line) {
  std::string whole(line);
  if (whole.empty() || whole.back() != '\n') whole += '\n';
  for (std::string_view left = whole; !left.empty();) {
    const ssize_t n = ::write(fd, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    left.remove_prefix(std::size_t(n));
  }
}

void write_atomically(const std::filesystem::path& path, std::string_view bytes) {
  if (path.filename().empty()) fail(path, "not a file name");
  const std::filesystem::path directory =
      path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  check_target(path);

  remove_stale_temporaries(directory, path.filename().string());

  Pending pending;
  bool named = false;
#ifdef O_TMPFILE
  pending.fd = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#endif
  if (pending.fd < 0) {
    // No O_TMPFILE here (or on this file system): a named temporary from the start.
    pending.temporary = unique_name(path);
    pending.fd = ::open(pending.temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (pending.fd < 0) {
      const int error = errno;
      pending.temporary.clear();
      fail(path, "cannot create a temporary file beside it", error);
    }
    named = true;
  }
  write_all(pending.fd, bytes, path);
  if (::fsync(pending.fd) != 0) fail(path, "cannot flush to disk", errno);
  if (!named) {
    // An O_TMPFILE file gets a name only now, whole and on disk, and loses it at once to the
    // rename: the name exists for two system calls.
    std::string temporary = unique_name(path);
    const std::string self = "/proc/self/fd/" + std::to_string(pending.fd);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temporary.c_str(), AT_SYMLINK_FOLLOW) != 0)
      fail(path, "cannot link the temporary file", errno);
    pending.temporary = std::move(temporary);
  }
  if (::rename(pending.temporary.c_str(), path.c_str()) != 0)
    fail(path, "cannot replace the file", errno);
  pending.temporary.clear();
  const int closed = ::close(pending.fd);
  pending.fd = -1;
  if (closed != 0) fail(path, "cannot close the file", errno);
  // The rename is in the directory: flush it too.
  const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    const int synced = ::fsync(dir);
    const int error = errno;
    ::close(dir);
    if (synced != 0 && error != EINVAL) fail(path, "cannot flush its directory", error);
  }
}

}  // namespace typenet::io
