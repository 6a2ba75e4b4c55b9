#include "cli/sweep_watch.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/results_format.h"

namespace pktgrid {

absl::Status WatchSweep(Client& client, const std::string& sweep_id,
                        const std::function<absl::Status()>& alive) {
  const bool tty = isatty(STDERR_FILENO);
  std::string last;
  while (true) {
    if (alive) {
      if (auto s = alive(); !s.ok()) {
        if (tty) std::cerr << "\n";
        return s;
      }
    }
    auto status = client.Status(sweep_id);
    if (!status.ok()) {
      if (tty) std::cerr << "\n";
      return status.status();
    }
    const std::string line = FormatStatusLine(*status);
    if (line != last) {
      if (tty) {
        // Redraw in place; pad to clear a longer previous line.
        std::cerr << "\r" << line
                  << std::string(last.size() > line.size()
                                     ? last.size() - line.size()
                                     : 0,
                                 ' ')
                  << std::flush;
      } else {
        std::cerr << line << "\n";
      }
      last = line;
    }
    if (status->finished()) {
      if (tty) std::cerr << "\n";
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace pktgrid
