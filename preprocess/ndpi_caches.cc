// nDPI 4.2 keeps some knowledge in its detection module rather than in the
// flows: LRU caches (Ookla, BitTorrent, Zoom, STUN, TLS certificates, Mining,
// Teams) and TINC's cache, each allocated on first use. Creating a module
// costs ~20 ms (it loads every host-name automaton and IP tree), far more
// than processing a typical capture, so one module serves every capture and
// these caches are emptied between captures instead: a capture's labels then
// never depend on the captures read before it, as with a fresh module.
//
// The module layout is only visible with NDPI_LIB_COMPILATION; the headers
// and the library come from the same Debian package (libndpi-dev 4.2).

#define NDPI_LIB_COMPILATION
#include "preprocess/ndpi_caches.h"

#include "ndpi_api.h"

// Not in nDPI's installed headers (third_party cache.h); exported by the
// library and called by ndpi_exit_detection_module() the same way.
extern "C" int cache_free(struct cache* cache);

namespace pktgrid {
namespace preprocess {
namespace internal {

bool NdpiCachesEmpty(const ndpi_detection_module_struct* m) {
  return m->ookla_cache == nullptr && m->tinc_cache == nullptr &&
         m->bittorrent_cache == nullptr && m->zoom_cache == nullptr &&
         m->stun_cache == nullptr && m->tls_cert_cache == nullptr &&
         m->mining_cache == nullptr && m->msteams_cache == nullptr;
}

void NdpiClearCaches(ndpi_detection_module_struct* m) {
  ndpi_lru_cache** lru[] = {&m->ookla_cache,    &m->bittorrent_cache,
                            &m->zoom_cache,     &m->stun_cache,
                            &m->tls_cert_cache, &m->mining_cache,
                            &m->msteams_cache};
  for (ndpi_lru_cache** c : lru) {
    if (*c != nullptr) {
      ndpi_lru_free_cache(*c);
      *c = nullptr;
    }
  }
  if (m->tinc_cache != nullptr) {
    cache_free(m->tinc_cache);
    m->tinc_cache = nullptr;
  }
}

}  // namespace internal
}  // namespace preprocess
}  // namespace pktgrid
