#include "cli/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace pktgrid {
namespace {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat(
        "cannot start ", absl::StrJoin(argv, " "), ": ", strerror(rc)));
  }
  std::string name = argv[0].substr(argv[0].rfind('/') + 1);
  return std::make_unique<ChildProcess>(pid, name, log_path);
}

ChildProcess::~ChildProcess() { Stop(); }

bool ChildProcess::Running() {
  if (exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    exit_code_ = DecodeWaitStatus(status);
  }
  return !exited_;
}

int ChildProcess::Stop(double grace_seconds) {
  if (!Running()) return exit_code_;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(int(grace_seconds * 1000));
  while (Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (Running()) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    exit_code_ = DecodeWaitStatus(status);
  }
  return exit_code_;
}

std::string ChildProcess::LogTail(int lines) const {
  std::ifstream file(log_path_);
  std::deque<std::string> tail;
  for (std::string line; std::getline(file, line);) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  return absl::StrJoin(tail, "\n");
}

std::string SelfDirectory() {
  char buffer[4096];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return ".";
  std::string path(buffer, n);
  return path.substr(0, path.rfind('/'));
}

absl::StatusOr<std::string> FindBinary(const std::string& name,
                                       const std::string& bin_dir) {
  std::vector<std::string> candidates;
  if (!bin_dir.empty()) candidates.push_back(absl::StrCat(bin_dir, "/", name));
  const std::string self = SelfDirectory();
  candidates.push_back(absl::StrCat(self, "/", name));
  for (const char* layer : {"coordinator", "worker"}) {
    candidates.push_back(absl::StrCat(self, "/../", layer, "/", name));
  }
  if (const char* path = getenv("PATH")) {
    for (absl::string_view dir : absl::StrSplit(path, ':')) {
      candidates.push_back(absl::StrCat(dir, "/", name));
    }
  }
  for (const std::string& c : candidates) {
    if (IsExecutable(c)) return c;
  }
  return absl::NotFoundError(absl::StrCat(
      "cannot find ", name, " next to ", self,
      ", in bazel-bin or on PATH; build it with `bazel build //:binaries` "
      "or pass --bin_dir"));
}

}  // namespace pktgrid
