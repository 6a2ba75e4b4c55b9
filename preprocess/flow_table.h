#ifndef PKTGRID_PREPROCESS_FLOW_TABLE_H_
#define PKTGRID_PREPROCESS_FLOW_TABLE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "preprocess/flow_key.h"

namespace pktgrid {
namespace preprocess {

// Live flows of one capture, with idle expiry in O(1) per packet: entries sit
// in a list ordered by last activity, so the stale ones are always at the
// front. Memory is bounded by the flows active within the idle timeout.
// T is the caller's per-flow state.
template <typename T>
class FlowTable {
 public:
  struct Entry {
    FlowKey key;
    uint64_t first_us = 0;
    uint64_t last_us = 0;
    T data;
    typename std::list<Entry*>::iterator lru;
  };

  explicit FlowTable(uint64_t idle_timeout_us) : idle_us_(idle_timeout_us) {}
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  size_t size() const { return map_.size(); }

  Entry* Find(const FlowKey& key) {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second.get();
  }

  // Adds a flow (the key must not be present) starting at `now_us`.
  template <typename... Args>
  Entry* Insert(const FlowKey& key, uint64_t now_us, Args&&... args) {
    auto entry = std::make_unique<Entry>(
        Entry{key, now_us, now_us, T(std::forward<Args>(args)...), {}});
    Entry* raw = entry.get();
    raw->lru = lru_.insert(lru_.end(), raw);
    map_.emplace(key, std::move(entry));
    return raw;
  }

  // Records activity: the flow moves to the back of the expiry order.
  void Touch(Entry* entry, uint64_t now_us) {
    entry->last_us = now_us;
    lru_.splice(lru_.end(), lru_, entry->lru);
  }

  // Calls end(entry) and frees the flow.
  template <typename F>
  void End(Entry* entry, F&& end) {
    end(*entry);
    lru_.erase(entry->lru);
    const FlowKey key = entry->key;  // the entry dies inside erase()
    map_.erase(key);
  }

  // Ends every flow idle for longer than the timeout at `now_us`.
  template <typename F>
  void ExpireIdle(uint64_t now_us, F&& end) {
    while (!lru_.empty() && now_us - lru_.front()->last_us > idle_us_) {
      End(lru_.front(), end);
    }
  }

  // Ends all flows, oldest activity first (end of capture).
  template <typename F>
  void EndAll(F&& end) {
    while (!lru_.empty()) End(lru_.front(), end);
  }

 private:
  uint64_t idle_us_;
  absl::flat_hash_map<FlowKey, std::unique_ptr<Entry>> map_;
  std::list<Entry*> lru_;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_FLOW_TABLE_H_
