#ifndef PKTGRID_WORKER_TORCH_RUNTIME_H_
#define PKTGRID_WORKER_TORCH_RUNTIME_H_

#include <cstdint>
#include <string>

namespace pktgrid {

// Process-wide LibTorch settings behind a torch-free header.

// Cores this process may run on (its affinity mask), at least 1.
int AllowedCores();

// Sets torch's intra-op threads and OpenBLAS's (0 = AllowedCores()).
void SetTorchThreads(int threads);

// One intra-op and one inter-op thread, the benchmark's setting. Torch lets
// the inter-op pool be sized only once per process (and only before it is
// used), so later calls only set the intra-op count.
void UseSingleTorchThread();

// Seeds torch's global generator (weight init, dropout).
void SeedTorch(uint64_t seed);

bool TorchCudaAvailable();

// "torch 1.13.0, liblinear 230, libsvm 324".
std::string LibraryVersions();

}  // namespace pktgrid

#endif  // PKTGRID_WORKER_TORCH_RUNTIME_H_
