#include "worker/torch_runtime.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <dlfcn.h>
#include <libsvm/svm.h>
#include <linear.h>
#include <sched.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <mutex>

#include "absl/strings/str_cat.h"

namespace pktgrid {

int AllowedCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

namespace {

// LibTorch calls BLAS (Debian: OpenBLAS, pthreads build) from the calling
// thread, and OpenBLAS runs its own pool sized to every core: without this a
// "one thread" trial still multiplies matrices on all cores. Looked up at run
// time so other BLAS builds (or none) still link.
void SetBlasThreads(int threads) {
  using SetThreads = void (*)(int);
  static const SetThreads set_threads = reinterpret_cast<SetThreads>(
      dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (set_threads != nullptr) set_threads(threads);
}

}  // namespace

void SetTorchThreads(int threads) {
  const int n = threads > 0 ? threads : AllowedCores();
  at::set_num_threads(n);
  SetBlasThreads(n);
}

void UseSingleTorchThread() {
  static std::once_flag inter_op_once;
  std::call_once(inter_op_once, [] {
    try {
      at::set_num_interop_threads(1);
    } catch (const c10::Error&) {
      // The pool already started (e.g. training ran first in this process);
      // the benchmark runs no inter-op parallel work, so this is harmless.
    }
  });
  at::set_num_threads(1);
  SetBlasThreads(1);
}

void SeedTorch(uint64_t seed) { torch::manual_seed(seed); }

bool TorchCudaAvailable() { return torch::cuda::is_available(); }

std::string LibraryVersions() {
  return absl::StrCat("torch ", TORCH_VERSION, ", liblinear ",
                      LIBLINEAR_VERSION, ", libsvm ", libsvm_version);
}

}  // namespace pktgrid
