#include "storage/sqlite_db.h"

#include "absl/strings/str_cat.h"

namespace pktgrid {

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), text.size(),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_.get(), index, bytes.data(), bytes.size(),
                    SQLITE_TRANSIENT);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) {
    status_ = absl::InternalError(absl::StrCat(
        "sqlite: ", sqlite3_errmsg(db_), " in: ", sqlite3_sql(stmt_.get())));
  }
  return false;
}

absl::Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::Double(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::Text(int column) const {
  const void* data = sqlite3_column_blob(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  return data ? std::string(static_cast<const char*>(data), size) : "";
}

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(
    const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  auto db = std::make_unique<SqliteDb>(path, raw);
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot open database: ",
                     raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 5000);
  // WAL lets readers (a user's sqlite3 shell) look while the coordinator
  // writes; synchronous=NORMAL is durable across process crashes in WAL mode.
  if (auto s = db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA foreign_keys=ON;");
      !s.ok()) {
    return absl::UnavailableError(absl::StrCat(path, ": ", s.message()));
  }
  return db;
}

absl::Status SqliteDb::Exec(absl::string_view sql) {
  char* error = nullptr;
  std::string copy(sql);
  if (sqlite3_exec(db_.get(), copy.c_str(), nullptr, nullptr, &error) !=
      SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return absl::InternalError(absl::StrCat("sqlite: ", message));
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> SqliteDb::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), sql.size(), &stmt, nullptr) !=
      SQLITE_OK) {
    return absl::InternalError(absl::StrCat(
        "sqlite: ", sqlite3_errmsg(db_.get()), " preparing: ", sql));
  }
  return Statement(db_.get(), stmt);
}

Transaction::Transaction(SqliteDb* db)
    : db_(db), begin_(db->Exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (begin_.ok() && !done_) db_->Exec("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  done_ = true;
  if (!begin_.ok()) return begin_;
  return db_->Exec("COMMIT");
}

}  // namespace pktgrid
