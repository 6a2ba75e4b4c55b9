#ifndef PKTGRID_STORAGE_SQLITE_DB_H_
#define PKTGRID_STORAGE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pktgrid {

// A prepared statement bound to one SQLite handle. Bind with 1-based indices,
// then Step() until it returns false.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&&) = default;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);

  // True while a row is available; errors are returned by status().
  bool Step();
  // Runs to completion; returns the first error, if any.
  absl::Status Run();
  absl::Status status() const { return status_; }

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
  absl::Status status_;
};

// An open SQLite database: WAL mode, a busy timeout, foreign keys on.
class SqliteDb {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(
      const std::string& path);
  // Takes ownership of an open handle; use Open().
  SqliteDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  absl::Status Exec(absl::string_view sql);
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  const std::string& path() const { return path_; }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::string path_;
  std::unique_ptr<sqlite3, Close> db_;
};

// Commits on Commit(); rolls back if destroyed first, so an error path never
// leaves half a change in the database.
class Transaction {
 public:
  explicit Transaction(SqliteDb* db);
  ~Transaction();
  absl::Status status() const { return begin_; }
  absl::Status Commit();

 private:
  SqliteDb* db_;
  absl::Status begin_;
  bool done_ = false;
};

}  // namespace pktgrid

#endif  // PKTGRID_STORAGE_SQLITE_DB_H_
