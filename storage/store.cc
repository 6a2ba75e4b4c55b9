#include "storage/store.h"

#include "absl/strings/str_cat.h"
#include "storage/schema.h"

namespace pktgrid {
namespace {

constexpr char kTaskColumns[] =
    "task_id, trial_id, kind, status, attempt, max_attempts, worker_id, "
    "lease_deadline_ms, error, payload, device";

TaskRow ReadTask(const Statement& q) {
  TaskRow t;
  t.task_id = q.Text(0);
  t.trial_id = q.Text(1);
  t.kind = q.Text(2);
  t.status = q.Text(3);
  t.attempt = q.Int(4);
  t.max_attempts = q.Int(5);
  t.worker_id = q.Text(6);
  t.lease_deadline_ms = q.Int(7);
  t.error = q.Text(8);
  t.payload = q.Text(9);
  t.device = q.Text(10);
  return t;
}

constexpr char kTrialColumns[] =
    "trial_id, sweep_id, family, size, param_budget, learning_rate, dropout, "
    "input_bytes, group_key, bench_select, config";

TrialRecord ReadTrial(const Statement& q, int c = 0) {
  TrialRecord t;
  t.trial_id = q.Text(c + 0);
  t.sweep_id = q.Text(c + 1);
  t.family = q.Text(c + 2);
  t.size = q.Text(c + 3);
  t.param_budget = q.Int(c + 4);
  t.learning_rate = q.Double(c + 5);
  t.dropout = q.Double(c + 6);
  t.input_bytes = q.Int(c + 7);
  t.group_key = q.Text(c + 8);
  t.bench_select = q.Text(c + 9);
  t.config = q.Text(c + 10);
  return t;
}

constexpr char kResultColumns[] =
    "resolved_size, param_count, val_accuracy, test_accuracy, macro_f1, "
    "epochs, best_epoch, train_seconds, model_sha256, device, worker_id, "
    "detail";

ResultRow ReadResult(const Statement& q) {
  ResultRow r;
  r.resolved_size = q.Text(0);
  r.param_count = q.Int(1);
  r.val_accuracy = q.Double(2);
  r.test_accuracy = q.Double(3);
  r.macro_f1 = q.Double(4);
  r.epochs = q.Int(5);
  r.best_epoch = q.Int(6);
  r.train_seconds = q.Double(7);
  r.model_sha256 = q.Text(8);
  r.device = q.Text(9);
  r.worker_id = q.Text(10);
  r.detail = q.Text(11);
  return r;
}

constexpr char kBenchColumns[] =
    "pps, pps_stderr, runs, sample_packets, batch_size, latency_p50_us, "
    "latency_p90_us, latency_p99_us, peak_rss_bytes, cpu, worker_id, detail";

BenchRow ReadBench(const Statement& q) {
  BenchRow b;
  b.pps = q.Double(0);
  b.pps_stderr = q.Double(1);
  b.runs = q.Int(2);
  b.sample_packets = q.Int(3);
  b.batch_size = q.Int(4);
  b.p50_us = q.Double(5);
  b.p90_us = q.Double(6);
  b.p99_us = q.Double(7);
  b.peak_rss_bytes = q.Int(8);
  b.cpu = q.Int(9);
  b.worker_id = q.Text(10);
  b.detail = q.Text(11);
  return b;
}

// Runs a query expected to return at most one row, mapped by `read`.
template <typename Row, typename Read>
absl::StatusOr<std::optional<Row>> QueryOne(Statement q, Read read) {
  std::optional<Row> row;
  if (q.Step()) row = read(q);
  if (!q.status().ok()) return q.status();
  return row;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = (*db)->Exec(kSchemaSql); !s.ok()) {
    return absl::InternalError(absl::StrCat(path, ": schema: ", s.message()));
  }
  return std::make_unique<Store>(std::move(*db));
}

absl::Status Store::PutArtifact(const ArtifactRow& row, int64_t now_ms) {
  auto q = db_->Prepare(
      "INSERT OR IGNORE INTO artifacts (sha256, kind, bytes, path, "
      "created_ms) VALUES (?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  return q->Bind(1, row.sha256)
      .Bind(2, row.kind)
      .Bind(3, row.bytes)
      .Bind(4, row.path)
      .Bind(5, now_ms)
      .Run();
}

absl::StatusOr<std::optional<ArtifactRow>> Store::GetArtifact(
    const std::string& sha256) {
  auto q = db_->Prepare(
      "SELECT sha256, kind, bytes, path FROM artifacts WHERE sha256 = ?");
  if (!q.ok()) return q.status();
  q->Bind(1, sha256);
  return QueryOne<ArtifactRow>(std::move(*q), [](const Statement& s) {
    return ArtifactRow{s.Text(0), s.Text(1), s.Text(3), s.Int(2)};
  });
}

absl::Status Store::InsertSweep(const SweepRow& row) {
  auto q = db_->Prepare(
      "INSERT INTO sweeps (sweep_id, name, dataset_sha256, spec, created_ms) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  return q->Bind(1, row.sweep_id)
      .Bind(2, row.name)
      .Bind(3, row.dataset_sha256)
      .Bind(4, row.spec)
      .Bind(5, row.created_ms)
      .Run();
}

static SweepRow ReadSweep(const Statement& s) {
  SweepRow r;
  r.sweep_id = s.Text(0);
  r.name = s.Text(1);
  r.dataset_sha256 = s.Text(2);
  r.spec = s.Text(3);
  r.created_ms = s.Int(4);
  r.trials = s.Int(5);
  return r;
}

constexpr char kSweepSelect[] =
    "SELECT s.sweep_id, s.name, s.dataset_sha256, s.spec, s.created_ms, "
    "(SELECT COUNT(*) FROM sweep_trials t WHERE t.sweep_id = s.sweep_id) "
    "FROM sweeps s";

absl::StatusOr<std::optional<SweepRow>> Store::GetSweep(const std::string& id) {
  auto q = db_->Prepare(absl::StrCat(kSweepSelect, " WHERE s.sweep_id = ?"));
  if (!q.ok()) return q.status();
  q->Bind(1, id);
  return QueryOne<SweepRow>(std::move(*q), ReadSweep);
}

absl::StatusOr<std::vector<SweepRow>> Store::ListSweeps() {
  auto q = db_->Prepare(absl::StrCat(kSweepSelect, " ORDER BY s.created_ms"));
  if (!q.ok()) return q.status();
  std::vector<SweepRow> rows;
  while (q->Step()) rows.push_back(ReadSweep(*q));
  if (!q->status().ok()) return q->status();
  return rows;
}

absl::StatusOr<bool> Store::InsertTrial(const TrialRecord& row,
                                        const std::string& sweep_id,
                                        int64_t now_ms) {
  auto q =
      db_->Prepare(absl::StrCat("INSERT OR IGNORE INTO trials (", kTrialColumns,
                                ", created_ms) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (!q.ok()) return q.status();
  q->Bind(1, row.trial_id)
      .Bind(2, row.sweep_id)
      .Bind(3, row.family)
      .Bind(4, row.size)
      .Bind(5, row.param_budget)
      .Bind(6, row.learning_rate)
      .Bind(7, row.dropout)
      .Bind(8, row.input_bytes)
      .Bind(9, row.group_key)
      .Bind(10, row.bench_select)
      .BindBlob(11, row.config)
      .Bind(12, now_ms);
  if (auto s = q->Run(); !s.ok()) return s;
  auto changes = db_->Prepare("SELECT changes()");
  if (!changes.ok()) return changes.status();
  const bool inserted = changes->Step() && changes->Int(0) > 0;
  auto link = db_->Prepare(
      "INSERT OR IGNORE INTO sweep_trials (sweep_id, trial_id) VALUES (?, ?)");
  if (!link.ok()) return link.status();
  if (auto s = link->Bind(1, sweep_id).Bind(2, row.trial_id).Run(); !s.ok()) {
    return s;
  }
  return inserted;
}

absl::StatusOr<TrialRecord> Store::GetTrial(const std::string& trial_id) {
  auto q = db_->Prepare(absl::StrCat("SELECT ", kTrialColumns,
                                     " FROM trials WHERE trial_id = ?"));
  if (!q.ok()) return q.status();
  q->Bind(1, trial_id);
  auto row = QueryOne<TrialRecord>(
      std::move(*q), [](const Statement& s) { return ReadTrial(s); });
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(absl::StrCat("no trial ", trial_id));
  }
  return **row;
}

absl::StatusOr<std::vector<std::string>> Store::GroupTrials(
    const std::string& sweep_id, const std::string& group_key) {
  auto q = db_->Prepare(
      "SELECT trial_id FROM trials WHERE sweep_id = ? AND group_key = ? "
      "ORDER BY created_ms, rowid");
  if (!q.ok()) return q.status();
  q->Bind(1, sweep_id).Bind(2, group_key);
  std::vector<std::string> ids;
  while (q->Step()) ids.push_back(q->Text(0));
  if (!q->status().ok()) return q->status();
  return ids;
}

namespace {

absl::Status WriteTask(SqliteDb* db, const char* verb, const TaskRow& row,
                       int64_t now_ms) {
  auto q = db->Prepare(absl::StrCat(
      verb, " INTO tasks (", kTaskColumns,
      ", seq, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks), ?)"));
  if (!q.ok()) return q.status();
  return q->Bind(1, row.task_id)
      .Bind(2, row.trial_id)
      .Bind(3, row.kind)
      .Bind(4, row.status)
      .Bind(5, row.attempt)
      .Bind(6, row.max_attempts)
      .Bind(7, row.worker_id)
      .Bind(8, row.lease_deadline_ms)
      .Bind(9, row.error)
      .BindBlob(10, row.payload)
      .Bind(11, row.device)
      .Bind(12, now_ms)
      .Run();
}

}  // namespace

absl::Status Store::InsertTask(const TaskRow& row, int64_t now_ms) {
  return WriteTask(db_.get(), "INSERT OR IGNORE", row, now_ms);
}

absl::Status Store::ReplaceTask(const TaskRow& row, int64_t now_ms) {
  return WriteTask(db_.get(), "INSERT OR REPLACE", row, now_ms);
}

absl::StatusOr<std::optional<TaskRow>> Store::GetTask(
    const std::string& task_id) {
  auto q = db_->Prepare(
      absl::StrCat("SELECT ", kTaskColumns, " FROM tasks WHERE task_id = ?"));
  if (!q.ok()) return q.status();
  q->Bind(1, task_id);
  return QueryOne<TaskRow>(std::move(*q), ReadTask);
}

absl::StatusOr<std::optional<TaskRow>> Store::NextQueued(
    const std::string& kind, const std::string& device) {
  const bool gpu = device.rfind("cuda", 0) == 0;
  auto q = db_->Prepare(absl::StrCat(
      "SELECT ", kTaskColumns,
      " FROM tasks WHERE kind = ? AND status = 'queued' AND device IN ('', ?) "
      "ORDER BY ",
      gpu ? "device = 'cuda' DESC, " : "", "seq LIMIT 1"));
  if (!q.ok()) return q.status();
  q->Bind(1, kind).Bind(2, gpu ? "cuda" : "cpu");
  return QueryOne<TaskRow>(std::move(*q), ReadTask);
}

absl::StatusOr<std::vector<TaskRow>> Store::ExpiredLeases(int64_t now_ms) {
  auto q = db_->Prepare(absl::StrCat(
      "SELECT ", kTaskColumns,
      " FROM tasks WHERE status = 'running' AND lease_deadline_ms < ? "
      "ORDER BY seq"));
  if (!q.ok()) return q.status();
  q->Bind(1, now_ms);
  std::vector<TaskRow> rows;
  while (q->Step()) rows.push_back(ReadTask(*q));
  if (!q->status().ok()) return q->status();
  return rows;
}

absl::Status Store::UpdateTask(const TaskRow& row, int64_t now_ms) {
  auto q = db_->Prepare(
      "UPDATE tasks SET status = ?, attempt = ?, worker_id = ?, "
      "lease_deadline_ms = ?, error = ?, updated_ms = ? WHERE task_id = ?");
  if (!q.ok()) return q.status();
  return q->Bind(1, row.status)
      .Bind(2, row.attempt)
      .Bind(3, row.worker_id)
      .Bind(4, row.lease_deadline_ms)
      .Bind(5, row.error)
      .Bind(6, now_ms)
      .Bind(7, row.task_id)
      .Run();
}

absl::Status Store::MoveToBack(const std::string& task_id) {
  auto q = db_->Prepare(
      "UPDATE tasks SET seq = (SELECT MAX(seq) + 1 FROM tasks) "
      "WHERE task_id = ?");
  if (!q.ok()) return q.status();
  return q->Bind(1, task_id).Run();
}

absl::Status Store::PutEpoch(const std::string& trial_id, const EpochRow& row) {
  auto q = db_->Prepare(
      "INSERT OR REPLACE INTO epochs (trial_id, attempt, epoch, train_loss, "
      "train_accuracy, val_loss, val_accuracy, seconds) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  return q->Bind(1, trial_id)
      .Bind(2, row.attempt)
      .Bind(3, row.epoch)
      .Bind(4, row.train_loss)
      .Bind(5, row.train_accuracy)
      .Bind(6, row.val_loss)
      .Bind(7, row.val_accuracy)
      .Bind(8, row.seconds)
      .Run();
}

absl::Status Store::PutResult(const std::string& trial_id, const ResultRow& r) {
  auto q = db_->Prepare(
      absl::StrCat("INSERT OR REPLACE INTO results (trial_id, ", kResultColumns,
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (!q.ok()) return q.status();
  return q->Bind(1, trial_id)
      .Bind(2, r.resolved_size)
      .Bind(3, r.param_count)
      .Bind(4, r.val_accuracy)
      .Bind(5, r.test_accuracy)
      .Bind(6, r.macro_f1)
      .Bind(7, r.epochs)
      .Bind(8, r.best_epoch)
      .Bind(9, r.train_seconds)
      .Bind(10, r.model_sha256)
      .Bind(11, r.device)
      .Bind(12, r.worker_id)
      .BindBlob(13, r.detail)
      .Run();
}

absl::StatusOr<std::optional<ResultRow>> Store::GetResult(
    const std::string& trial_id) {
  auto q = db_->Prepare(absl::StrCat("SELECT ", kResultColumns,
                                     " FROM results WHERE trial_id = ?"));
  if (!q.ok()) return q.status();
  q->Bind(1, trial_id);
  return QueryOne<ResultRow>(std::move(*q), ReadResult);
}

absl::Status Store::PutBenchmark(const std::string& trial_id,
                                 const BenchRow& b) {
  auto q = db_->Prepare(absl::StrCat(
      "INSERT OR REPLACE INTO benchmarks (trial_id, ", kBenchColumns,
      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (!q.ok()) return q.status();
  return q->Bind(1, trial_id)
      .Bind(2, b.pps)
      .Bind(3, b.pps_stderr)
      .Bind(4, b.runs)
      .Bind(5, b.sample_packets)
      .Bind(6, b.batch_size)
      .Bind(7, b.p50_us)
      .Bind(8, b.p90_us)
      .Bind(9, b.p99_us)
      .Bind(10, b.peak_rss_bytes)
      .Bind(11, b.cpu)
      .Bind(12, b.worker_id)
      .BindBlob(13, b.detail)
      .Run();
}

absl::Status Store::UpsertWorker(const WorkerRow& w, int64_t now_ms) {
  auto q = db_->Prepare(
      "INSERT OR REPLACE INTO workers (worker_id, name, role, device, "
      "threads, registered_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  return q->Bind(1, w.worker_id)
      .Bind(2, w.name)
      .Bind(3, w.role)
      .Bind(4, w.device)
      .Bind(5, w.threads)
      .Bind(6, now_ms)
      .Bind(7, now_ms)
      .Run();
}

absl::Status Store::TouchWorker(const std::string& worker_id, int64_t now_ms) {
  auto q =
      db_->Prepare("UPDATE workers SET last_seen_ms = ? WHERE worker_id = ?");
  if (!q.ok()) return q.status();
  return q->Bind(1, now_ms).Bind(2, worker_id).Run();
}

absl::StatusOr<std::optional<WorkerRow>> Store::GetWorker(
    const std::string& worker_id) {
  auto q = db_->Prepare(
      "SELECT worker_id, name, role, device, threads FROM workers "
      "WHERE worker_id = ?");
  if (!q.ok()) return q.status();
  q->Bind(1, worker_id);
  return QueryOne<WorkerRow>(std::move(*q), [](const Statement& s) {
    return WorkerRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)};
  });
}

absl::StatusOr<std::vector<TrialView>> Store::SweepTrials(
    const std::string& sweep_id) {
  auto q = db_->Prepare(absl::StrCat(
      "SELECT ", kTrialColumns,
      " FROM trials WHERE trial_id IN (SELECT trial_id FROM sweep_trials "
      "WHERE sweep_id = ?) ORDER BY created_ms, rowid"));
  if (!q.ok()) return q.status();
  q->Bind(1, sweep_id);
  std::vector<TrialView> views;
  while (q->Step()) {
    TrialView view;
    view.trial = ReadTrial(*q);
    views.push_back(std::move(view));
  }
  if (!q->status().ok()) return q->status();

  for (TrialView& v : views) {
    const std::string& id = v.trial.trial_id;
    auto train = GetTask(id + "/train");
    if (!train.ok()) return train.status();
    if (train->has_value()) v.train = **train;
    auto bench = GetTask(id + "/bench");
    if (!bench.ok()) return bench.status();
    v.bench = *bench;
    auto result = GetResult(id);
    if (!result.ok()) return result.status();
    v.result = *result;

    auto b = db_->Prepare(absl::StrCat("SELECT ", kBenchColumns,
                                       " FROM benchmarks WHERE trial_id = ?"));
    if (!b.ok()) return b.status();
    b->Bind(1, id);
    auto bench_row = QueryOne<BenchRow>(std::move(*b), ReadBench);
    if (!bench_row.ok()) return bench_row.status();
    v.benchmark = *bench_row;

    auto e = db_->Prepare(
        "SELECT attempt, epoch, train_loss, train_accuracy, val_loss, "
        "val_accuracy, seconds FROM epochs WHERE trial_id = ? AND attempt = "
        "(SELECT MAX(attempt) FROM epochs WHERE trial_id = ?) ORDER BY epoch");
    if (!e.ok()) return e.status();
    e->Bind(1, id).Bind(2, id);
    while (e->Step()) {
      v.epochs.push_back(EpochRow{e->Int(0), e->Int(1), e->Double(2),
                                  e->Double(3), e->Double(4), e->Double(5),
                                  e->Double(6)});
    }
    if (!e->status().ok()) return e->status();
  }
  return views;
}

}  // namespace pktgrid
