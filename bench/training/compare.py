#!/usr/bin/python3
"""pktgrid (LibTorch, C++) against PyTorch for Python on the same data.

  compare.py speed  [--dataset FILE] [--threads 1,2] [--reps 2]
      Training samples/second of deep_cnn f=32 and shallow_mlp h=322, batch
      32, at each thread count, both sides in this one run.
  compare.py parity --dataset FILE [--seeds 0,1,2] [--max_epochs 50]
      Test accuracy of deep_cnn f=8 and shallow_mlp h=81 trained by both sides
      with the same split and hyperparameters, per seed and the mean.

Both sides run as child processes that print one JSON line per epoch and a
final {"result": ...} line: train_bench (pktgrid's TrainTrial, exactly what a
worker runs; taken from bazel-out/k8-opt/bin/bench/training) and
pktgrid_torch.py (the same model and loop in PyTorch-Python). Build the
former first:
  bazel build //bench/training:train_bench
See README.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# bazel-out/k8-opt, not bazel-bin: bazel-bin follows whatever configuration
# built last (an asan build elsewhere in the tree moves it). TRAIN_BENCH
# overrides.
BENCH = os.environ.get("TRAIN_BENCH", os.path.join(
    ROOT, "bazel-out", "k8-opt", "bin", "bench", "training", "train_bench"))
PYTHON = "/usr/bin/python3"  # Debian's, which has python3-torch


def side_command(side, dataset, trial):
    """The command line of one trial of `side` ("pktgrid" or "python")."""
    if side == "pktgrid":
        flags = {"family": trial["family"], "size": trial["size"],
                 "lr": trial["lr"], "dropout": trial["dropout"],
                 "seed": trial["seed"], "threads": trial["threads"],
                 "batch_size": trial["batch_size"],
                 "max_epochs": trial["max_epochs"],
                 "patience": trial["patience"], "l2": trial["l2"]}
        return [BENCH, "trial", f"--dataset={dataset}"] + [
            f"--{k}={v}" for k, v in flags.items()]
    return [PYTHON, os.path.join(HERE, "pktgrid_torch.py"), json.dumps(trial),
            dataset]


PASSIVE_WAIT = False  # compare.py speed --passive_wait


def start(side, dataset, trial):
    env = dict(os.environ)
    if PASSIVE_WAIT:
        # OpenMP's team spins after each parallel region while OpenBLAS's
        # pool needs the same cores; at 2 threads on 2 cores that costs both
        # sides more than the second core gains.
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    # Neither side may take more threads than asked: OpenMP's default team
    # and OpenBLAS's own pool (torch.set_num_threads leaves the latter at
    # every core; pktgrid's SetTorchThreads sizes both) get the same count.
    env["OMP_NUM_THREADS"] = str(trial["threads"])
    env["OPENBLAS_NUM_THREADS"] = str(trial["threads"])
    return subprocess.Popen(side_command(side, dataset, trial),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(proc, what):
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{what} failed ({proc.returncode}):\n{err}")
    epochs, result = [], None
    for line in out.splitlines():
        record = json.loads(line)
        if "result" in record:
            result = record["result"]
        else:
            epochs.append(record)
    result["epoch_log"] = epochs
    return result


def run(side, dataset, trial):
    return finish(start(side, dataset, trial), f"{side} {trial}")


def make_data(path, **rows):
    args = [BENCH, "data", f"--out={path}"] + [
        f"--{k}={v}" for k, v in rows.items()]
    subprocess.run(args, check=True, stderr=subprocess.DEVNULL)


def base_trial(**overrides):
    trial = {"family": "deep_cnn", "size": "8", "lr": 0.001, "dropout": 0.1,
             "seed": 0, "threads": 1, "batch_size": 32, "max_epochs": 50,
             "patience": 5, "l2": 0.01}
    trial.update(overrides)
    return trial


def speed(args):
    # Rows per model so one epoch takes a few seconds on one core; the
    # validation split is a fifth of train, as in the paper's 64/16 split.
    models = [("deep_cnn", "32", 1280, args.epochs),
              ("shallow_mlp", "322", 6400, args.epochs + 2)]
    tmp = tempfile.mkdtemp(prefix="pktgrid-speed-")
    rows = []
    for family, size, train_rows, epochs in models:
        data = os.path.join(tmp, f"{family}.pktds")
        if args.dataset:
            make_data(data, **{"from": args.dataset, "train": train_rows,
                               "val": train_rows // 4, "test": 32})
        else:
            make_data(data, train=train_rows, val=train_rows // 4, test=32)
        for threads in args.threads:
            # patience > max_epochs: every run trains all its epochs.
            trial = base_trial(family=family, size=size, threads=threads,
                               max_epochs=epochs, patience=epochs + 1)
            secs = {"pktgrid": [], "python": []}
            n = {}
            for rep in range(args.reps):
                # Alternate which side goes first so background load hits
                # both alike.
                order = ["pktgrid", "python"] if rep % 2 == 0 else [
                    "python", "pktgrid"]
                for side in order:
                    r = run(side, data, trial)
                    n[side] = r["train_rows"]
                    # Epoch 1 is warm-up (allocator, oneDNN primitive cache).
                    secs[side] += [e["seconds"] for e in r["epoch_log"][1:]]
            # Best epoch (least disturbed by other load) and median epoch.
            best = {s: n[s] / min(secs[s]) for s in secs}
            med = {s: n[s] / statistics.median(secs[s]) for s in secs}
            rows.append((f"{family} {size}", threads, best["pktgrid"],
                         best["python"], med["pktgrid"], med["python"]))
            print(f"  {rows[-1][0]:<16} threads={threads}: pktgrid "
                  f"{best['pktgrid']:.0f}/s, python {best['python']:.0f}/s "
                  f"(best epoch)", file=sys.stderr, flush=True)
    print()
    print("Training speed, batch 32, samples/s (an epoch = train pass + val "
          "pass)" + (", OMP_WAIT_POLICY=PASSIVE" if PASSIVE_WAIT else ""))
    print(f"{'':<26}{'--------- best epoch ---------':>30}"
          f"{'-------- median epoch --------':>32}")
    print(f"{'model':<18}{'threads':>8}{'pktgrid':>10}{'pytorch-py':>12}"
          f"{'ratio':>8}{'pktgrid':>12}{'pytorch-py':>12}{'ratio':>8}")
    for model, threads, bp, bq, mp, mq in rows:
        print(f"{model:<18}{threads:>8}{bp:>10.0f}{bq:>12.0f}{bp / bq:>8.3f}"
              f"{mp:>12.0f}{mq:>12.0f}{mp / mq:>8.3f}")
    print("ratio = pktgrid / pytorch-python; > 1 means pktgrid is faster")


def parity(args):
    models = [("deep_cnn", "8"), ("shallow_mlp", "81")]
    results = {}
    start_time = time.time()
    for family, size in models:
        for seed in args.seeds:
            trial = base_trial(family=family, size=size, seed=seed,
                               lr=args.lr, dropout=args.dropout,
                               max_epochs=args.max_epochs, threads=1)
            # One thread each, both sides at once: two cores, same settings.
            procs = {side: start(side, args.dataset, trial)
                     for side in ("pktgrid", "python")}
            for side, proc in procs.items():
                r = finish(proc, f"{side} {trial}")
                results[(family, side, seed)] = r
                print(f"  {family} {size} seed {seed} {side}: test "
                      f"{r['test_accuracy']:.4f} val {r['val_accuracy']:.4f} "
                      f"best epoch {r['best_epoch']}/{r['epochs']} "
                      f"({r['seconds']:.0f} s)", file=sys.stderr, flush=True)
    print()
    print(f"Parity on {os.path.basename(args.dataset)}: lr {args.lr}, dropout "
          f"{args.dropout}, batch 32, L2 0.01 (output kernel), patience 5, "
          f"max {args.max_epochs} epochs; test accuracy in %")
    header = f"{'model':<16}{'side':<10}" + "".join(
        f"{'seed ' + str(s):>9}" for s in args.seeds) + f"{'mean':>9}"
    print(header)
    for family, size in models:
        means = {}
        for side in ("pktgrid", "python"):
            accs = [100 * results[(family, side, s)]["test_accuracy"]
                    for s in args.seeds]
            means[side] = statistics.mean(accs)
            print(f"{family + ' ' + size:<16}{side:<10}" + "".join(
                f"{a:>9.2f}" for a in accs) + f"{means[side]:>9.2f}")
        diff = means["pktgrid"] - means["python"]
        verdict = "ok" if abs(diff) <= 2 else "OVER 2 POINTS"
        print(f"{'':<16}{'diff':<10}" + " " * 9 * len(args.seeds) +
              f"{diff:>+9.2f}  ({verdict})")
    print(f"({time.time() - start_time:.0f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ints = lambda s: [int(x) for x in s.split(",")]
    p = sub.add_parser("speed")
    p.add_argument("--dataset", help="take rows from this dataset file "
                   "instead of synthetic ones")
    p.add_argument("--threads", type=ints, default=[1, 2])
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--passive_wait", action="store_true",
                   help="OMP_WAIT_POLICY=PASSIVE for both sides")
    p = sub.add_parser("parity")
    p.add_argument("--dataset", required=True)
    p.add_argument("--seeds", type=ints, default=[0, 1, 2])
    p.add_argument("--max_epochs", type=int, default=50)
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args()
    global PASSIVE_WAIT
    PASSIVE_WAIT = getattr(args, "passive_wait", False)
    if not os.access(BENCH, os.X_OK):
        sys.exit(f"{BENCH} missing: bazel build //bench/training:train_bench")
    speed(args) if args.command == "speed" else parity(args)


if __name__ == "__main__":
    main()
