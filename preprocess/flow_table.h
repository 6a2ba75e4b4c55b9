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
// A closed flow (TCP RST or FIN both ways) lingers for `linger` in a second
// list ordered by closing time, like TCP's TIME_WAIT: segments still in
// flight after the close (common: data already sent when the peer reset)
// belong to it instead of opening a flow of their own.
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
    bool closed = false;
    uint64_t closed_us = 0;
  };

  explicit FlowTable(uint64_t idle_timeout_us, uint64_t linger_us = 0)
      : idle_us_(idle_timeout_us), linger_us_(linger_us) {}
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
    auto entry = std::make_unique<Entry>(Entry{
        key, now_us, now_us, T(std::forward<Args>(args)...), {}, false, 0});
    Entry* raw = entry.get();
    raw->lru = lru_.insert(lru_.end(), raw);
    map_.emplace(key, std::move(entry));
    return raw;
  }

  // Records activity: the flow moves to the back of the expiry order.
  // A closed flow keeps its place in the closing order.
  void Touch(Entry* entry, uint64_t now_us) {
    entry->last_us = now_us;
    if (!entry->closed) lru_.splice(lru_.end(), lru_, entry->lru);
  }

  // Marks the flow closed at `now_us`; it ends `linger` later (at once when
  // the linger is 0).
  template <typename F>
  void Close(Entry* entry, uint64_t now_us, F&& end) {
    if (entry->closed) return;
    if (linger_us_ == 0) {
      End(entry, end);
      return;
    }
    entry->closed = true;
    entry->closed_us = now_us;
    closed_.splice(closed_.end(), lru_, entry->lru);
  }

  // Calls end(entry) and frees the flow.
  template <typename F>
  void End(Entry* entry, F&& end) {
    end(*entry);
    (entry->closed ? closed_ : lru_).erase(entry->lru);
    const FlowKey key = entry->key;  // the entry dies inside erase()
    map_.erase(key);
  }

  // Ends every flow idle for longer than the timeout at `now_us`, and every
  // closed flow whose linger is over.
  template <typename F>
  void ExpireIdle(uint64_t now_us, F&& end) {
    while (!closed_.empty() &&
           now_us - closed_.front()->closed_us > linger_us_) {
      End(closed_.front(), end);
    }
    while (!lru_.empty() && now_us - lru_.front()->last_us > idle_us_) {
      End(lru_.front(), end);
    }
  }

  // Ends all flows (end of capture): closed ones first, then the open ones,
  // oldest activity first.
  template <typename F>
  void EndAll(F&& end) {
    while (!closed_.empty()) End(closed_.front(), end);
    while (!lru_.empty()) End(lru_.front(), end);
  }

 private:
  uint64_t idle_us_;
  uint64_t linger_us_;
  std::list<Entry*> closed_;
  absl::flat_hash_map<FlowKey, std::unique_ptr<Entry>> map_;
  std::list<Entry*> lru_;
};

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_FLOW_TABLE_H_
