#ifndef PKTGRID_COORDINATOR_PRESETS_H_
#define PKTGRID_COORDINATOR_PRESETS_H_

namespace pktgrid {

// A few minutes on a 2-core laptop CPU: every family once, a two-point
// learning-rate grid, and a two-point input-size sweep.
inline constexpr char kQuickPreset[] = R"pb(
  name: "quick"
  grids {
    family: "deep_cnn"
    sizes: "4"
    learning_rates: [ 0.005, 0.001 ]
    dropouts: 0.1
  }
  grids {
    family: "shallow_cnn"
    sizes: "4"
    learning_rates: [ 0.005, 0.001 ]
    dropouts: 0.1
  }
  grids {
    family: "deep_mlp"
    sizes: "20,50,50"
    learning_rates: [ 0.005, 0.001 ]
    dropouts: 0.1
  }
  grids {
    family: "shallow_mlp"
    sizes: "20"
    learning_rates: [ 0.005, 0.001 ]
    dropouts: 0.1
  }
  grids { family: "svm" }
  grids {
    family: "deep_cnn"
    sizes: "4"
    learning_rates: 0.005
    dropouts: 0.1
    input_bytes: [ 64, 256 ]
    skip_bytes: 20
  }
  training { max_epochs: 8 patience: 3 }
  bench { sample_packets: 1000 runs: 10 }
)pb";

// Experiment 1 of the paper: four families at six sizes each, 5 learning
// rates x 4 dropouts, plus the linear SVM.
#define PKTGRID_PAPER_GRID                                  \
  "learning_rates: [ 0.01, 0.005, 0.001, 0.0005, 0.0001 ] " \
  "dropouts: [ 0.05, 0.1, 0.2, 0.5 ]"
inline constexpr char kPaperExp1Grids[] =
    "grids { family: \"deep_cnn\" sizes: [ \"4\", \"8\", \"16\", \"32\", "
    "\"64\", \"128\" ] " PKTGRID_PAPER_GRID
    " }\n"
    "grids { family: \"shallow_cnn\" sizes: [ \"4\", \"8\", \"16\", \"32\", "
    "\"64\", \"128\" ] " PKTGRID_PAPER_GRID
    " }\n"
    "grids { family: \"deep_mlp\" sizes: [ \"1,1,1\", \"5,10,10\", "
    "\"20,50,50\", \"70,100,100\", \"200,350,350\", \"450,900,900\" "
    "] " PKTGRID_PAPER_GRID
    " }\n"
    "grids { family: \"shallow_mlp\" sizes: [ \"1\", \"5\", \"20\", \"81\", "
    "\"322\", \"1288\" ] " PKTGRID_PAPER_GRID
    " }\n"
    "grids { family: \"svm\" }\n";

// Experiment 2: deep CNN f=32 on the k*k bytes after the first 20.
inline constexpr char kPaperExp2Grids[] =
    "grids { family: \"deep_cnn\" sizes: \"32\" " PKTGRID_PAPER_GRID
    " input_bytes: [ 16, 64, 144, 256, 400, 576, 784, 1024, 1296 ] "
    "skip_bytes: 20 }\n";
#undef PKTGRID_PAPER_GRID

}  // namespace pktgrid

#endif  // PKTGRID_COORDINATOR_PRESETS_H_
