#include "cli/results_format.h"

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace pktgrid {
namespace {

struct Column {
  const char* name;
  bool numeric;  // JSON number (or null when empty) instead of a string
  std::function<std::string(const TrialRow&)> value;
};

std::string Num(double v, int digits) {
  return absl::StrFormat("%.*f", digits, v);
}

std::string SizeOf(const TrialRow& r) {
  if (!r.train().resolved_size().empty()) return r.train().resolved_size();
  if (!r.config().size().empty()) return r.config().size();
  if (r.config().param_budget() > 0) {
    return absl::StrCat("~", r.config().param_budget());
  }
  return "-";
}

const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = {
      {"trial_id", false,
       [](const TrialRow& r) { return r.config().trial_id(); }},
      {"family", false, [](const TrialRow& r) { return r.config().family(); }},
      {"size", false, SizeOf},
      {"params", true,
       [](const TrialRow& r) {
         return r.has_train() ? absl::StrCat(r.train().param_count()) : "";
       }},
      {"input_bytes", true,
       [](const TrialRow& r) {
         return absl::StrCat(r.config().input_bytes());
       }},
      {"skip_bytes", true,
       [](const TrialRow& r) { return absl::StrCat(r.config().skip_bytes()); }},
      {"learning_rate", true,
       [](const TrialRow& r) {
         return absl::StrCat(r.config().learning_rate());
       }},
      {"dropout", true,
       [](const TrialRow& r) { return absl::StrCat(r.config().dropout()); }},
      {"status", false, [](const TrialRow& r) { return r.status(); }},
      {"val_accuracy", true,
       [](const TrialRow& r) {
         return r.has_train() ? Num(r.train().val_accuracy(), 4) : "";
       }},
      {"test_accuracy", true,
       [](const TrialRow& r) {
         return r.has_train() ? Num(r.train().test_accuracy(), 4) : "";
       }},
      {"macro_f1", true,
       [](const TrialRow& r) {
         return r.has_train() ? Num(r.train().macro_f1(), 4) : "";
       }},
      {"epochs", true,
       [](const TrialRow& r) {
         return r.has_train() ? absl::StrCat(r.train().epochs()) : "";
       }},
      {"best_epoch", true,
       [](const TrialRow& r) {
         return r.has_train() ? absl::StrCat(r.train().best_epoch()) : "";
       }},
      {"train_seconds", true,
       [](const TrialRow& r) {
         return r.has_train() ? Num(r.train().train_seconds(), 2) : "";
       }},
      {"pps", true,
       [](const TrialRow& r) {
         return r.has_bench() ? Num(r.bench().pps(), 1) : "";
       }},
      {"pps_stderr", true,
       [](const TrialRow& r) {
         return r.has_bench() ? Num(r.bench().pps_stderr(), 1) : "";
       }},
      {"latency_p50_us", true,
       [](const TrialRow& r) {
         return r.has_bench() ? Num(r.bench().latency_p50_us(), 1) : "";
       }},
      {"latency_p99_us", true,
       [](const TrialRow& r) {
         return r.has_bench() ? Num(r.bench().latency_p99_us(), 1) : "";
       }},
      {"peak_rss_bytes", true,
       [](const TrialRow& r) {
         return r.has_bench() ? absl::StrCat(r.bench().peak_rss_bytes()) : "";
       }},
      {"model_rss_bytes", true,
       [](const TrialRow& r) {
         return r.has_bench() ? absl::StrCat(r.bench().model_rss_bytes()) : "";
       }},
      {"device", false, [](const TrialRow& r) { return r.train().device(); }},
      {"error", false, [](const TrialRow& r) { return r.error(); }},
  };
  return kColumns;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string PadRight(const std::string& s, size_t width) {
  return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

std::string PadLeft(const std::string& s, size_t width) {
  return std::string(width > s.size() ? width - s.size() : 0, ' ') + s;
}

}  // namespace

std::string FormatCsv(const std::vector<TrialRow>& rows) {
  std::vector<std::string> header;
  for (const Column& c : Columns()) header.push_back(c.name);
  std::string out = absl::StrJoin(header, ",") + "\n";
  for (const TrialRow& row : rows) {
    std::vector<std::string> fields;
    for (const Column& c : Columns()) fields.push_back(CsvField(c.value(row)));
    absl::StrAppend(&out, absl::StrJoin(fields, ","), "\n");
  }
  return out;
}

std::string FormatJson(const std::vector<TrialRow>& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    absl::StrAppend(&out, i ? ",\n " : "\n ", "{");
    bool first = true;
    for (const Column& c : Columns()) {
      std::string v = c.value(rows[i]);
      std::string json = c.numeric ? (v.empty() ? "null" : v) : JsonString(v);
      absl::StrAppend(&out, first ? "" : ", ", JsonString(c.name), ": ", json);
      first = false;
    }
    out += "}";
  }
  return out + (rows.empty() ? "]\n" : "\n]\n");
}

std::string FormatTable(const std::vector<TrialRow>& rows) {
  const std::vector<std::string> header = {
      "trial",   "family",  "size",     "params",   "input", "lr",
      "dropout", "val acc", "test acc", "PPS ± SE", "status"};
  std::vector<std::vector<std::string>> cells;
  for (const TrialRow& r : rows) {
    std::string pps = "-";
    if (r.has_bench()) {
      pps = absl::StrFormat("%.0f ± %.0f", r.bench().pps(),
                            r.bench().pps_stderr());
    }
    const bool svm = r.config().family().rfind("svm", 0) == 0;
    cells.push_back({
        r.config().trial_id().substr(0, 8),
        r.config().family(),
        SizeOf(r),
        r.has_train() ? absl::StrCat(r.train().param_count()) : "-",
        r.config().skip_bytes() > 0
            ? absl::StrCat(r.config().input_bytes(), "@+",
                           r.config().skip_bytes())
            : absl::StrCat(r.config().input_bytes()),
        svm ? "-" : absl::StrCat(r.config().learning_rate()),
        svm ? "-" : absl::StrCat(r.config().dropout()),
        r.has_train() ? Num(r.train().val_accuracy(), 4) : "-",
        r.has_train() ? Num(r.train().test_accuracy(), 4) : "-",
        pps,
        r.status() == "failed" ? absl::StrCat("failed: ", r.error())
                               : r.status(),
    });
  }
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : cells) width[c] = std::max(width[c], row[c].size());
  }
  // "±" is two bytes but one column wide.
  auto display = [](const std::string& s) {
    return s.find("±") == std::string::npos ? s.size() : s.size() - 1;
  };
  for (size_t c = 0; c < header.size(); ++c) {
    for (const auto& row : cells)
      width[c] = std::max(width[c], display(row[c]));
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t c = 0; c < row.size(); ++c) {
      const size_t pad = width[c] + row[c].size() - display(row[c]);
      // Numbers right-aligned, words left-aligned.
      const bool right = c >= 3 && c <= 9;
      absl::StrAppend(&out, c ? "  " : "",
                      right ? PadLeft(row[c], pad) : PadRight(row[c], pad));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : cells) out += line(row);
  return out;
}

absl::StatusOr<std::string> FormatResults(const std::vector<TrialRow>& rows,
                                          const std::string& format) {
  if (format == "table") return FormatTable(rows);
  if (format == "csv") return FormatCsv(rows);
  if (format == "json") return FormatJson(rows);
  return absl::InvalidArgumentError(
      absl::StrCat("--format=", format, ": expected table, csv or json"));
}

std::string FormatStatusLine(const SweepStatus& s) {
  const int total = s.trials();
  const int finished = s.done() + s.failed();
  constexpr int kBar = 20;
  const int filled = total ? finished * kBar / total : 0;
  std::string line = absl::StrCat(
      "[", std::string(filled, '#'), std::string(kBar - filled, '.'), "] ",
      "train ", finished, "/", total, " (", s.running(), " running, ",
      s.failed(), " failed)");
  const int bench_total =
      s.bench_queued() + s.bench_running() + s.bench_done() + s.bench_failed();
  if (bench_total > 0) {
    absl::StrAppend(&line, " | bench ", s.bench_done() + s.bench_failed(), "/",
                    bench_total);
  }
  for (const RunningTrial& t : s.running_trials()) {
    absl::StrAppend(&line, " | ", t.task_id().substr(0, 8),
                    t.task_id().substr(t.task_id().find('/')), "@", t.worker());
    if (t.has_last_epoch()) {
      absl::StrAppend(&line, " epoch ", t.last_epoch().epoch(), "/",
                      t.max_epochs(), " val ",
                      Num(t.last_epoch().val_accuracy(), 3));
    }
  }
  return line;
}

std::string FormatTrialDetail(const TrialRow& r) {
  const TrialConfig& c = r.config();
  std::string out = absl::StrCat(
      "trial ", c.trial_id(), "\n  family ", c.family(), ", size ", SizeOf(r),
      ", input ", c.input_bytes(), " bytes after ", c.skip_bytes(), ", lr ",
      c.learning_rate(), ", dropout ", c.dropout(), ", seed ", c.seed(),
      "\n  status ", r.status(), " (attempt ", r.attempt(), ")",
      r.error().empty() ? "" : absl::StrCat(": ", r.error()), "\n");
  if (!r.epochs().empty()) {
    out += "  epoch  train_loss  train_acc  val_loss  val_acc  seconds\n";
    for (const EpochMetrics& e : r.epochs()) {
      absl::StrAppend(
          &out, absl::StrFormat("  %5d  %10.4f  %9.4f  %8.4f  %7.4f  %7.2f\n",
                                e.epoch(), e.train_loss(), e.train_accuracy(),
                                e.val_loss(), e.val_accuracy(), e.seconds()));
    }
  }
  if (r.has_train()) {
    const TrainResult& t = r.train();
    absl::StrAppend(&out, "  params ", t.param_count(), ", val acc ",
                    Num(t.val_accuracy(), 4), ", test acc ",
                    Num(t.test_accuracy(), 4), ", macro-F1 ",
                    Num(t.macro_f1(), 4), ", best epoch ", t.best_epoch(), "/",
                    t.epochs(), ", ", Num(t.train_seconds(), 1), " s on ",
                    t.device(), "\n  model ", t.model_sha256(), "\n");
    out += "  class                precision  recall      f1  support\n";
    for (const ClassMetrics& m : t.classes()) {
      absl::StrAppend(&out, absl::StrFormat("  %-20s %9.4f %7.4f %7.4f %8d\n",
                                            m.name(), m.precision(), m.recall(),
                                            m.f1(), m.support()));
    }
    const int n = t.classes_size();
    if (n > 0 && t.confusion_size() == n * n) {
      out += "  confusion (rows: true class, columns: predicted)\n";
      for (int i = 0; i < n; ++i) {
        absl::StrAppend(&out, "  ", PadRight(t.classes(i).name(), 20));
        for (int j = 0; j < n; ++j) {
          absl::StrAppend(&out,
                          PadLeft(absl::StrCat(t.confusion(i * n + j)), 7));
        }
        out += "\n";
      }
    }
  }
  if (r.has_bench()) {
    const BenchResult& b = r.bench();
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "  bench: %.1f ± %.1f packets/s (%d runs of %d packets, "
            "batch %d, cpu %d), batch-1 latency p50/p90/p99 "
            "%.1f/%.1f/%.1f us, peak RSS %.1f MiB (model %.1f MiB)\n",
            b.pps(), b.pps_stderr(), b.runs(), b.sample_packets(),
            b.batch_size(), b.cpu(), b.latency_p50_us(), b.latency_p90_us(),
            b.latency_p99_us(), b.peak_rss_bytes() / 1048576.0,
            b.model_rss_bytes() / 1048576.0));
  }
  return out;
}

}  // namespace pktgrid
