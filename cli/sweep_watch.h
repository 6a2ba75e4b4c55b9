#ifndef PKTGRID_CLI_SWEEP_WATCH_H_
#define PKTGRID_CLI_SWEEP_WATCH_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "cli/client.h"

namespace pktgrid {

// Polls a sweep's status until it finishes, drawing a progress line on
// stderr (redrawn in place on a terminal, one line per change otherwise).
// `alive` (optional) is checked each poll; a non-OK status stops the wait.
absl::Status WatchSweep(Client& client, const std::string& sweep_id,
                        const std::function<absl::Status()>& alive);

}  // namespace pktgrid

#endif  // PKTGRID_CLI_SWEEP_WATCH_H_
