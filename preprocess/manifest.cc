#include "preprocess/manifest.h"

#include <string>

#include "preprocess/json_writer.h"

namespace pktgrid {
namespace preprocess {

std::string ManifestPathFor(const std::string& dataset_path) {
  return dataset_path + ".manifest.json";
}

namespace {

void WriteOptions(const PreprocessOptions& o, JsonWriter& w) {
  w.BeginObject();
  w.Key("bytes");
  w.Uint(o.features.bytes);
  w.Key("mask");
  w.String(MaskModeName(o.features.mask));
  w.Key("skip");
  w.Uint(o.features.skip);
  w.Key("max_per_flow");
  w.Uint(o.max_per_flow);
  w.Key("idle_timeout_s");
  w.Double(o.idle_timeout_s);
  w.Key("max_duration_s");
  w.Double(o.max_duration_s);
  w.Key("drop_labels");
  w.BeginArray();
  for (const auto& l : o.drop_labels) w.String(l);
  w.EndArray();
  w.Key("merges");
  w.BeginArray();
  for (const auto& m : o.merges) w.String(m);
  w.EndArray();
  w.Key("classes");
  w.String(o.classes);
  w.Key("per_class");
  w.Uint(o.per_class);
  w.Key("take_available");
  w.Bool(o.take_available);
  w.Key("seed");
  w.Uint(o.seed);
  w.Key("ratios");
  w.BeginObject();
  w.Key("train");
  w.Double(o.ratios.train);
  w.Key("val");
  w.Double(o.ratios.val);
  w.Key("test");
  w.Double(o.ratios.test);
  w.EndObject();
  w.Key("split_by_flow");
  w.Bool(o.split_by_flow);
  w.Key("exclude_guessed");
  w.Bool(o.exclude_guessed);
  w.Key("tunnel_outer_view");
  w.Bool(o.tunnel_outer_view);
  w.EndObject();
}

void WriteLeakage(const SplitLeakage& l, bool used, JsonWriter& w) {
  w.BeginObject();
  w.Key("used");
  w.Bool(used);
  w.Key("val_test_rows");
  w.Uint(l.val_test_rows);
  w.Key("val_test_rows_from_train_flows");
  w.Uint(l.leaked_rows);
  w.Key("flows_in_train_and_val_test");
  w.Uint(l.leaked_flows);
  w.EndObject();
}

void WriteLabelDetail(const LabelDetail& d, JsonWriter& w) {
  w.BeginObject();
  w.Key("label");
  w.String(d.label);
  w.Key("master");
  w.String(d.master);
  w.Key("app");
  w.String(d.app);
  w.Key("category");
  w.String(d.category);
  w.Key("confidence");
  w.String(d.confidence);
  w.Key("guessed");
  w.Bool(d.guessed);
  w.Key("flows");
  w.Uint(d.flows);
  w.Key("payload_packets");
  w.Uint(d.payload_packets);
  w.EndObject();
}

void WriteFile(const FileSummary& f, JsonWriter& w) {
  w.BeginObject();
  w.Key("path");
  w.String(f.path);
  w.Key("sha256");
  w.String(f.sha256);
  if (!f.error.empty()) {
    w.Key("error");
    w.String(f.error);
  }
  w.Key("link_type");  // the first interface's for pcapng
  w.Int(f.link_type);
  w.Key("frames_by_link_type");
  w.BeginObject();
  for (const auto& [link, n] : f.link_types) {
    w.Key(std::to_string(link));
    w.Uint(n);
  }
  w.EndObject();
  w.Key("frames");
  w.Uint(f.frames);
  w.Key("snapped");
  w.Uint(f.snapped);
  w.Key("decoded");
  w.Uint(f.decoded());
  w.Key("set_aside");
  w.BeginObject();
  for (size_t i = 1; i < f.outcomes.size(); ++i) {
    if (f.outcomes[i] == 0) continue;
    w.Key(DecodeOutcomeName(static_cast<DecodeOutcome>(i)));
    w.Uint(f.outcomes[i]);
  }
  w.EndObject();
  w.Key("bytes");
  w.Uint(f.bytes);
  w.Key("tunnelled");
  w.Uint(f.tunnelled);
  w.Key("payload_packets");
  w.Uint(f.payload_packets);
  w.Key("flows");
  w.Uint(f.flows);
  w.Key("guessed_flows");
  w.Uint(f.guessed_flows);
  w.Key("labels");
  w.BeginObject();
  for (const auto& [label, n] : f.labels) {
    w.Key(label);
    w.Uint(n);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string ManifestJson(const PreprocessOptions& options,
                         const PreprocessReport& report) {
  JsonWriter w;
  w.BeginObject();
  w.Key("format");
  w.String("pktgrid-preprocess-manifest-v1");
  w.Key("dataset_sha256");
  w.String(report.dataset_sha256);
  w.Key("rows");
  w.Uint(report.rows);
  w.Key("ndpi_version");
  w.String(report.ndpi_version);
  w.Key("options");
  WriteOptions(options, w);
  w.Key("classes");
  w.BeginArray();
  for (size_t code = 0; code < report.classes.size(); ++code) {
    const ClassSummary& c = report.classes[code];
    w.BeginObject();
    w.Key("code");
    w.Uint(code);
    w.Key("name");
    w.String(c.name);
    w.Key("available");
    w.Uint(c.available);
    w.Key("taken");
    w.Uint(c.taken);
    w.Key("train");
    w.Uint(c.per_split[0]);
    w.Key("val");
    w.Uint(c.per_split[1]);
    w.Key("test");
    w.Uint(c.per_split[2]);
    w.EndObject();
  }
  w.EndArray();
  // Leakage of near-duplicate packets into val/test, for both split modes
  // on the same sampled rows ("used" marks the one the dataset has).
  w.Key("split_leakage");
  w.BeginObject();
  w.Key("packet_split");
  WriteLeakage(report.leakage_packet_split, !options.split_by_flow, w);
  w.Key("flow_split");
  WriteLeakage(report.leakage_flow_split, options.split_by_flow, w);
  w.EndObject();
  w.Key("excluded_guessed_flows");
  w.Uint(report.excluded_guessed_flows);
  w.Key("excluded_guessed_packets");
  w.Uint(report.excluded_guessed_packets);
  // What nDPI recorded per flow (before drops and merges).
  w.Key("label_details");
  w.BeginArray();
  for (const LabelDetail& d : report.label_details) WriteLabelDetail(d, w);
  w.EndArray();
  w.Key("available_classes");
  w.BeginObject();
  for (const auto& [name, n] : report.available) {
    w.Key(name);
    w.Uint(n);
  }
  w.EndObject();
  w.Key("sources");
  w.BeginArray();
  for (const FileSummary& f : report.files) WriteFile(f, w);
  w.EndArray();
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace preprocess
}  // namespace pktgrid
