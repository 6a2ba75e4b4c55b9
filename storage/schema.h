#ifndef PKTGRID_STORAGE_SCHEMA_H_
#define PKTGRID_STORAGE_SCHEMA_H_

namespace pktgrid {

// The coordinator's SQLite schema. Blobs hold serialized protobuf messages
// (proto/pktgrid.proto); the columns beside them copy the fields people query
// with a plain `sqlite3` shell.
inline constexpr char kSchemaSql[] = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS artifacts (
  sha256 TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('dataset', 'model')),
  bytes INTEGER NOT NULL,
  path TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sweeps (
  sweep_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_sha256 TEXT NOT NULL REFERENCES artifacts(sha256),
  spec TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
  trial_id TEXT PRIMARY KEY,
  sweep_id TEXT NOT NULL REFERENCES sweeps(sweep_id),
  family TEXT NOT NULL,
  size TEXT NOT NULL,
  param_budget INTEGER NOT NULL,
  learning_rate REAL NOT NULL,
  dropout REAL NOT NULL,
  input_bytes INTEGER NOT NULL,
  group_key TEXT NOT NULL,
  bench_select TEXT NOT NULL,
  config BLOB NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sweep_trials (
  sweep_id TEXT NOT NULL REFERENCES sweeps(sweep_id),
  trial_id TEXT NOT NULL REFERENCES trials(trial_id),
  PRIMARY KEY (sweep_id, trial_id)
);
CREATE TABLE IF NOT EXISTS tasks (
  task_id TEXT PRIMARY KEY,
  trial_id TEXT NOT NULL REFERENCES trials(trial_id),
  kind TEXT NOT NULL CHECK (kind IN ('train', 'bench')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  worker_id TEXT NOT NULL DEFAULT '',
  lease_deadline_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  payload BLOB NOT NULL,
  -- '' (any worker), 'cuda' or 'cpu': which train workers may lease it.
  device TEXT NOT NULL DEFAULT '',
  seq INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks (kind, status, seq);
CREATE TABLE IF NOT EXISTS epochs (
  trial_id TEXT NOT NULL REFERENCES trials(trial_id),
  attempt INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
  seconds REAL,
  PRIMARY KEY (trial_id, attempt, epoch)
);
CREATE TABLE IF NOT EXISTS results (
  trial_id TEXT PRIMARY KEY REFERENCES trials(trial_id),
  resolved_size TEXT NOT NULL,
  param_count INTEGER NOT NULL,
  val_accuracy REAL NOT NULL,
  test_accuracy REAL NOT NULL,
  macro_f1 REAL NOT NULL,
  epochs INTEGER NOT NULL,
  best_epoch INTEGER NOT NULL,
  train_seconds REAL NOT NULL,
  model_sha256 TEXT NOT NULL,
  device TEXT NOT NULL,
  worker_id TEXT NOT NULL,
  detail BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS benchmarks (
  trial_id TEXT PRIMARY KEY REFERENCES trials(trial_id),
  pps REAL NOT NULL,
  pps_stderr REAL NOT NULL,
  runs INTEGER NOT NULL,
  sample_packets INTEGER NOT NULL,
  batch_size INTEGER NOT NULL,
  latency_p50_us REAL, latency_p90_us REAL, latency_p99_us REAL,
  peak_rss_bytes INTEGER,
  cpu INTEGER,
  worker_id TEXT NOT NULL,
  detail BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS workers (
  worker_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  device TEXT NOT NULL,
  threads INTEGER NOT NULL,
  registered_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
)sql";

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_SCHEMA_H_
