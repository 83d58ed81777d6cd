// Writing a file so that a reader, a crash or a kill finds either the old file or the new one,
// whole: weight files, checkpoints and training histories go through here. And writing a line so
// that another process's line cannot cut into it (the processes of mpirun share one stderr).
//
//   tn::io::write_atomically("run/history.csv", text);
//   tn::io::write_line(STDERR_FILENO, "lenet_fashion_mnist: " + message);
//
// Implemented in src/io/atomic_file.cpp with POSIX calls.
#pragma once

#include <filesystem>
#include <string_view>

namespace typenet::io {

// Writes `bytes` to `path`: into an unnamed file in the same directory (Linux O_TMPFILE, or a
// uniquely named `<path>.tmp.<pid>.<n>` where that is unsupported), fsync, linked in under a
// unique temporary name and renamed over `path` at once, then the directory is fsynced so the
// rename survives a power cut. `path` always holds the old or the new contents, whole. A
// process killed in the instant between link and rename (two system calls) leaves its
// temporary name behind; the next write to `path` removes the temporaries of writers that no
// longer run. Throws std::runtime_error naming the file and the system's reason (errno text)
// when any call fails; `path` is then left as it was and the temporary removed.
void write_atomically(const std::filesystem::path& path, std::string_view bytes);

// Checks now, before a long computation whose result it would lose, that write_atomically could
// write `path`: `path` is not a directory, its folder exists and a new file can be made in it (a
// file "<path>.tmp.<pid>.<n>" is created and removed, the name write_atomically's fallback uses
// and clears). Throws std::runtime_error "<path>: <reason>" otherwise. Creates nothing.
void check_writable(const std::filesystem::path& path);

// Writes `line` and a newline to the file descriptor `fd` with one write(2) call (repeated only
// for what a signal or a full pipe left unwritten), so that the lines of processes writing to
// one pipe or terminal (mpirun's stderr, a CI log) do not interleave: POSIX keeps a write of up
// to PIPE_BUF (4096) bytes to a pipe whole. std::cerr << a << b makes a write per piece.
// Errors are ignored: this is how a program reports its own failure.
void write_line(int fd, std::string_view line);

}  // namespace typenet::io
