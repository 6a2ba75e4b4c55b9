#ifndef PKTGRID_CLI_CHILD_PROCESS_H_
#define PKTGRID_CLI_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pktgrid {

// A child process whose stdout and stderr go to a log file. Destroying it
// stops the process (SIGTERM, then SIGKILL after a grace period), so
// `pktgrid local` never leaves a coordinator or worker behind.
class ChildProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::string& log_path);
  ChildProcess(pid_t pid, std::string name, std::string log_path)
      : pid_(pid), name_(std::move(name)), log_path_(std::move(log_path)) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // False once the process has exited (its status is then kept).
  bool Running();
  // SIGTERM, wait up to `grace_seconds`, then SIGKILL. Returns the exit code
  // (128 + signal when killed by one).
  int Stop(double grace_seconds = 5);
  int exit_code() const { return exit_code_; }
  const std::string& name() const { return name_; }
  const std::string& log_path() const { return log_path_; }
  // The last lines of the log, for error messages.
  std::string LogTail(int lines = 15) const;

 private:
  pid_t pid_;
  std::string name_;
  std::string log_path_;
  bool exited_ = false;
  int exit_code_ = -1;
};

// The directory holding the running executable.
std::string SelfDirectory();

// Finds a sibling binary: next to this executable, in Bazel's bazel-bin
// layout (../coordinator/NAME, ../worker/NAME), then on PATH.
absl::StatusOr<std::string> FindBinary(const std::string& name,
                                       const std::string& bin_dir);

}  // namespace pktgrid

#endif  // PKTGRID_CLI_CHILD_PROCESS_H_
