// Usage: summarize [--synth OUT.pcap] [--per_class N] [--nodrop] [--labels]
//                  [--classes SPEC] [--split_by_flow] CAPTURES...
// Runs BuildDatasetInMemory with take_available and prints the report.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "preprocess/pipeline.h"
#include "preprocess/synth.h"

int main(int argc, char** argv) {
  pktgrid::preprocess::PreprocessOptions options;
  options.take_available = true;
  std::vector<std::string> inputs;
  bool labels = false;  // --labels: "file<TAB>label<TAB>payload packets"
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      printf(
          "Usage: summarize [--synth OUT.pcap] [--per_class N] [--nodrop] "
          "[--labels]\n"
          "                 [--classes SPEC] [--split_by_flow] CAPTURES...\n"
          "Builds a dataset in memory (taking what each class has) and prints "
          "the\npreprocess report; --labels prints file, label and payload "
          "packets instead.\nA developer tool, run by "
          "tests/preprocess/sanitize.sh.\n");
      return 0;
    }
    if (a == "--synth" && i + 1 < argc) {
      auto s = pktgrid::preprocess::WriteSynthCapture(
          argv[++i], pktgrid::preprocess::SynthOptions());
      if (!s.ok()) {
        fprintf(stderr, "%s\n", s.ToString().c_str());
        return 1;
      }
      inputs.push_back(argv[i]);
    } else if (a == "--per_class" && i + 1 < argc) {
      options.per_class = strtoull(argv[++i], nullptr, 10);
    } else if (a == "--labels") {
      labels = true;
    } else if (a == "--classes" && i + 1 < argc) {
      options.classes = argv[++i];
    } else if (a == "--split_by_flow") {
      options.split_by_flow = true;
    } else if (a == "--nodrop") {
      options.drop_labels.clear();
    } else {
      inputs.push_back(a);
    }
  }
  pktgrid::preprocess::PreprocessReport report;
  auto d = pktgrid::preprocess::BuildDatasetInMemory(options, inputs, &report);
  if (labels) {
    for (const auto& f : report.files) {
      const std::string base = f.path.substr(f.path.rfind('/') + 1);
      for (const auto& [label, n] : f.labels) {
        printf("%s\t%s\t%llu\n", base.c_str(), label.c_str(),
               static_cast<unsigned long long>(n));
      }
    }
    return 0;
  }
  printf("%s", pktgrid::preprocess::FormatReport(report).c_str());
  for (const auto* l :
       {&report.leakage_packet_split, &report.leakage_flow_split}) {
    printf(
        "leakage %s split%s: %llu of %llu val/test rows from %llu flows "
        "that also have train rows\n",
        l == &report.leakage_packet_split ? "packet" : "flow",
        (l == &report.leakage_flow_split) == options.split_by_flow ? " (used)"
                                                                   : "",
        static_cast<unsigned long long>(l->leaked_rows),
        static_cast<unsigned long long>(l->val_test_rows),
        static_cast<unsigned long long>(l->leaked_flows));
  }
  if (!d.ok()) printf("error: %s\n", d.status().ToString().c_str());
  return 0;
}
