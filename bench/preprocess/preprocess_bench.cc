// Usage: preprocess_bench [--repeat N] [--stage NAME] CAPTURES_OR_DIRS...
//
// Times pktgrid's preprocessing over the captures, best of N passes (the
// first pass also brings the files into the page cache):
//   decode    read + decode every frame (the ceiling without flows/labels)
//   pipeline  read + decode + flows + nDPI labels + feature rows, i.e.
//             CaptureProcessor over every file, one nDPI module created
//             once per pass (its ~20 ms are included)
//   dataset   BuildDatasetInMemory end to end: the above plus SHA-256 of
//             every file, sampling (per_class 10000, take_available) and
//             the split
// Prints one "RESULT name frames payload_packets seconds" line per stage
// (run.sh parses these) and a readable table.

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "preprocess/capture_processor.h"
#include "preprocess/capture_reader.h"
#include "preprocess/decode.h"
#include "preprocess/input_files.h"
#include "preprocess/pipeline.h"

namespace pp = pktgrid::preprocess;

namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct Stage {
  uint64_t frames = 0;
  uint64_t payload = 0;
  double seconds = 1e30;  // best pass, CPU time of this process
};

void DecodeOnly(const std::vector<std::string>& files, uint64_t* frames,
                uint64_t* payload) {
  pp::DecodedPacket packet;
  pp::CapturedFrame frame;
  for (const std::string& f : files) {
    auto reader = pp::CaptureReader::Open(f);
    if (!reader.ok()) continue;
    while ((*reader)->Next(&frame)) {
      ++*frames;
      if (pp::DecodeFrame(frame.link_type, frame.data, frame.caplen, &packet) ==
              pp::DecodeOutcome::kOk &&
          packet.payload_len > 0) {
        ++*payload;
      }
    }
  }
}

void Pipeline(const std::vector<std::string>& files, uint64_t* frames,
              uint64_t* payload) {
  pp::PreprocessOptions options;
  options.drop_labels.clear();
  options.per_class = 0;  // every payload packet becomes a row
  auto policy = pp::LabelPolicy::Create(options.drop_labels, options.merges);
  auto selection = pp::ClassSelection::Parse("");
  pp::ClassSampler sampler(options.per_class, options.seed);
  pp::CaptureProcessor processor(options, *policy, *selection, &sampler);
  for (const std::string& f : files) {
    const pp::FileSummary s = processor.Process(f);
    *frames += s.frames;
    *payload += s.payload_packets;
  }
}

void Dataset(const std::vector<std::string>& files, uint64_t* frames,
             uint64_t* payload) {
  pp::PreprocessOptions options;
  options.take_available = true;
  options.progress = false;
  pp::PreprocessReport report;
  auto d = pp::BuildDatasetInMemory(options, files, &report);
  if (!d.ok()) {
    fprintf(stderr, "dataset: %s\n", d.status().ToString().c_str());
  }
  for (const auto& s : report.files) {
    *frames += s.frames;
    *payload += s.payload_packets;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3;
  std::string only;  // --stage: run just this one (for profiling)
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      printf(
          "Usage: preprocess_bench [--repeat N] [--stage decode|pipeline|"
          "dataset] CAPTURES...\n"
          "Times pktgrid's preprocessing stages over the captures (files or "
          "directories)\nand prints CPU seconds and frames/s of the best of N "
          "passes (default 3).\nbench/preprocess/run.sh runs it beside "
          "ndpiReader and tshark.\n");
      return 0;
    }
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, atoi(argv[++i]));
    } else if (a == "--stage" && i + 1 < argc) {
      only = argv[++i];
    } else {
      inputs.push_back(a);
    }
  }
  const std::vector<std::string> files = pp::ExpandInputs(inputs);
  if (files.empty()) {
    fprintf(stderr,
            "usage: preprocess_bench [--repeat N] [--stage S] CAPTURES... (see "
            "--help)\n");
    return 2;
  }
  struct Named {
    const char* name;
    void (*run)(const std::vector<std::string>&, uint64_t*, uint64_t*);
    Stage stage;
  } stages[] = {{"decode", DecodeOnly, {}},
                {"pipeline", Pipeline, {}},
                {"dataset", Dataset, {}}};
  for (Named& n : stages) {
    if (!only.empty() && only != n.name) continue;
    for (int r = 0; r < repeat; ++r) {
      uint64_t frames = 0, payload = 0;
      const double start = CpuSeconds();
      n.run(files, &frames, &payload);
      const double s = CpuSeconds() - start;
      n.stage.frames = frames;
      n.stage.payload = payload;
      n.stage.seconds = std::min(n.stage.seconds, s);
    }
  }
  printf("%zu files, best of %d passes (CPU seconds of one core)\n",
         files.size(), repeat);
  printf("%-10s %10s %10s %9s %14s\n", "stage", "frames", "payload", "seconds",
         "frames/s");
  for (const Named& n : stages) {
    if (n.stage.frames == 0) continue;
    printf("%-10s %10llu %10llu %9.3f %14.0f\n", n.name,
           static_cast<unsigned long long>(n.stage.frames),
           static_cast<unsigned long long>(n.stage.payload), n.stage.seconds,
           n.stage.frames / n.stage.seconds);
  }
  for (const Named& n : stages) {
    if (n.stage.frames == 0) continue;
    printf("RESULT %s %llu %llu %.6f\n", n.name,
           static_cast<unsigned long long>(n.stage.frames),
           static_cast<unsigned long long>(n.stage.payload), n.stage.seconds);
  }
  return 0;
}
