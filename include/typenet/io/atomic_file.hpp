// Writing a file so that a reader, a crash or a kill finds either the old file or the new one,
// whole: weight files, checkpoints and training histories go through here.
//
//   tn::io::write_atomically("run/history.csv", text);
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

}  // namespace typenet::io
