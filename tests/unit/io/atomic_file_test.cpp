// write_atomically: a reader, a failure or a kill finds the old file or the new one, whole;
// check_writable and write_line.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <typenet/io/atomic_file.hpp>
#include <typenet/train/fit.hpp>

namespace tn = typenet;
namespace fs = std::filesystem;

namespace {

// A fresh empty directory per test.
fs::path fresh_directory(const std::string& name) {
  const auto dir =
      fs::temp_directory_path() / ("typenet-atomic-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  return names;
}

}  // namespace

TEST_CASE("write_atomically writes, replaces and leaves no temporary", "[io][atomic]") {
  const auto dir = fresh_directory("replace");
  const auto path = dir / "file.txt";
  tn::io::write_atomically(path, "first");
  CHECK(contents(path) == "first");
  tn::io::write_atomically(path, std::string(100000, 'x'));
  CHECK(contents(path) == std::string(100000, 'x'));
  tn::io::write_atomically(path, "");
  CHECK(contents(path).empty());
  CHECK(names_in(dir) == std::vector<std::string>{"file.txt"});
  fs::remove_all(dir);
}

TEST_CASE("write_atomically fails with the file and the reason, and changes nothing",
          "[io][atomic]") {
  const auto dir = fresh_directory("fail");
  fs::create_directory(dir / "taken");
  REQUIRE_THROWS_WITH(tn::io::write_atomically(dir / "taken", "x"),
                      (dir / "taken").string() + ": is a directory");
  REQUIRE_THROWS_WITH(tn::io::write_atomically(dir / "missing" / "file", "x"),
                      Catch::StartsWith((dir / "missing" / "file").string() + ": cannot") &&
                          Catch::Contains("No such file or directory"));
  CHECK(names_in(dir) == std::vector<std::string>{"taken"});
  CHECK(fs::is_empty(dir / "taken"));
  // History::write_csv goes the same way: the old history stays when the new cannot be written.
  tn::History history;
  history.epochs.push_back({.epoch = 1, .train_loss = 0.5});
  history.write_csv(dir / "history.csv");
  const auto old = contents(dir / "history.csv");
  REQUIRE(old.find("\n1,0.5,") != std::string::npos);
  REQUIRE_THROWS_WITH(history.write_csv(dir / "taken"), Catch::Contains("is a directory"));
  CHECK(contents(dir / "history.csv") == old);
  fs::remove_all(dir);
}

TEST_CASE(
    "A writer killed at any moment leaves the old file or the new one, whole, and the next "
    "write removes a killed writer's temporary",
    "[io][atomic][kill]") {
  const auto dir = fresh_directory("kill");
  const auto path = dir / "weights.bin";
  // Two versions, big enough that a kill often lands mid-write.
  const std::string a = std::string(1 << 21, 'a') + "end a";
  const std::string b = std::string(1 << 21, 'b') + "end b";
  tn::io::write_atomically(path, a);
  std::mt19937 rng(3);
  std::size_t saw_a = 0, saw_b = 0, leftovers = 0;
  for (int round = 0; round < 12; ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      for (int i = 0;; ++i) tn::io::write_atomically(path, i % 2 == 0 ? b : a);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 30000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    const auto now = contents(path);
    INFO("round " << round << ": " << now.size() << " bytes");
    REQUIRE((now == a || now == b));
    (now == a ? saw_a : saw_b) += 1;
    // Only a kill between link and rename (two system calls) leaves a name: the dead writer's.
    auto names = names_in(dir);
    std::erase(names, "weights.bin");
    leftovers += names.size();
    for (const auto& name : names)
      CHECK(name.rfind("weights.bin.tmp." + std::to_string(child) + ".", 0) == 0);
    tn::io::write_atomically(path, now);
    REQUIRE(names_in(dir) == std::vector<std::string>{"weights.bin"});
  }
  INFO("old " << saw_a << ", new " << saw_b << ", rounds that left a temporary " << leftovers);
  CHECK(saw_a + saw_b == 12);
  CHECK(leftovers <= 2);
  fs::remove_all(dir);
}

TEST_CASE("check_writable refuses what write_atomically could not write, and leaves nothing",
          "[io][atomic]") {
  const auto dir = fresh_directory("check");
  tn::io::check_writable(dir / "file.txt");  // a new file
  tn::io::write_atomically(dir / "file.txt", "old");
  tn::io::check_writable(dir / "file.txt");  // a file to replace
  CHECK(contents(dir / "file.txt") == "old");
  CHECK(names_in(dir) == std::vector<std::string>{"file.txt"});  // the probe is gone
  fs::create_directory(dir / "taken");
  CHECK_THROWS_WITH(tn::io::check_writable(dir / "taken"),
                    (dir / "taken").string() + ": is a directory");
  CHECK_THROWS_WITH(tn::io::check_writable(dir / "missing" / "file"),
                    (dir / "missing" / "file").string() + ": cannot create a file in " +
                        (dir / "missing").string() + " (No such file or directory)");
  // A device or a FIFO would be replaced by a regular file (as root, /dev/null was): refused,
  // by check_writable and by write_atomically, and left as it was.
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0644) == 0);
  const std::string special = "is not a regular file (a device, FIFO or socket)";
  CHECK_THROWS_WITH(tn::io::check_writable(dir / "fifo"), Catch::Contains(special));
  CHECK_THROWS_WITH(tn::io::write_atomically(dir / "fifo", "x"), Catch::Contains(special));
  CHECK(fs::is_fifo(dir / "fifo"));
  CHECK_THROWS_WITH(tn::io::check_writable("/dev/null"),
                    Catch::StartsWith("/dev/null: ") && Catch::Contains(special));
  CHECK(fs::is_character_file("/dev/null"));
  fs::remove(dir / "fifo");
  // /proc takes no new files, not even root's.
  CHECK_THROWS_WITH(tn::io::check_writable("/proc/typenet-checkpoint"),
                    Catch::StartsWith("/proc/typenet-checkpoint: cannot create a file in /proc ("));
  auto names = names_in(dir);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"file.txt", "taken"});  // no probe left behind
  fs::remove_all(dir);
}

TEST_CASE("write_line writes a whole line in one write, so processes' lines cannot interleave",
          "[io][atomic]") {
  // A SOCK_SEQPACKET socket keeps each write(2) a message of its own: one recv is one write.
  int ends[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ends) == 0);
  const std::string message = "lenet_fashion_mnist: rank 0 of 2: " + std::string(3000, 'x');
  tn::io::write_line(ends[0], message);
  tn::io::write_line(ends[0], "already ended\n");  // no second newline
  std::string received(8192, '\0');
  const ssize_t first = ::recv(ends[1], received.data(), received.size(), 0);
  REQUIRE(first > 0);
  CHECK(received.substr(0, std::size_t(first)) == message + "\n");
  const ssize_t second = ::recv(ends[1], received.data(), received.size(), 0);
  REQUIRE(second > 0);
  CHECK(received.substr(0, std::size_t(second)) == "already ended\n");
  ::close(ends[0]);
  ::close(ends[1]);
}
