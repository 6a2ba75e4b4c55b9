#ifndef PKTGRID_PREPROCESS_NDPI_CACHES_H_
#define PKTGRID_PREPROCESS_NDPI_CACHES_H_

struct ndpi_detection_module_struct;

namespace pktgrid {
namespace preprocess {
namespace internal {

// True when none of the module's lazily allocated caches exists, as right
// after ndpi_init_detection_module(). NdpiModule checks this on a new module
// to confirm the layout assumption before relying on NdpiClearCaches().
bool NdpiCachesEmpty(const ndpi_detection_module_struct* m);

// Frees the module's per-protocol caches (they are re-created on demand).
void NdpiClearCaches(ndpi_detection_module_struct* m);

}  // namespace internal
}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_NDPI_CACHES_H_
