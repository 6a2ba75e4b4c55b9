"""The pktgrid models and training loop in PyTorch for Python.

The reference side of bench/training: the same stacks, initialisation,
optimiser, loss, L2 penalty, early stopping and evaluation as
worker/models.cc and worker/torch_trainer.cc, written the way a PyTorch user
would (whole split as one float tensor, a random permutation per epoch,
fancy-indexed batches). Needs Debian's python3-torch and python3-numpy; run it
with /usr/bin/python3.
"""

import hashlib
import json
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

SPLIT_TRAIN, SPLIT_VAL, SPLIT_TEST = 0, 1, 2


def read_dataset(path):
    """Reads a pktgrid dataset file (format in storage/dataset_file.h)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 32 or hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise ValueError(f"{path}: checksum mismatch or truncated")
    if data[:8] != b"PKTGRIDD":
        raise ValueError(f"{path}: not a pktgrid dataset")
    version, feature_bytes, rows, classes = struct.unpack_from("<IIQI", data, 8)
    if version != 1:
        raise ValueError(f"{path}: unsupported version {version}")
    pos = 8 + 20
    names = []
    for _ in range(classes):
        (length,) = struct.unpack_from("<H", data, pos)
        pos += 2
        names.append(data[pos:pos + length].decode("utf-8"))
        pos += length
    labels = np.frombuffer(data, np.uint16, rows, pos).astype(np.int64)
    pos += 2 * rows
    splits = np.frombuffer(data, np.uint8, rows, pos)
    pos += rows
    pos += 4 * rows  # flow ids
    features = np.frombuffer(data, np.uint8, rows * feature_bytes, pos)
    features = features.reshape(rows, feature_bytes)
    return {"class_names": names, "features": features, "labels": labels,
            "splits": splits}


def input_shape(family, input_bytes):
    """worker/architecture.cc's ResolveInputShape for the torch families."""
    if family not in ("deep_cnn", "shallow_cnn"):
        return (input_bytes,)
    if input_bytes == 1480:
        return (1, 40, 37)
    k = int(round(input_bytes ** 0.5))
    if k * k != input_bytes:
        raise ValueError(f"a CNN needs 1480 or k*k input bytes, not {input_bytes}")
    return (1, k, k)


def build_model(family, widths, shape, classes, dropout):
    """Returns (net, output_layer): worker/models.cc's BuildTorchModel."""
    layers = []
    conv = lambda i, o: [nn.Conv2d(i, o, 3, stride=1, padding=1), nn.ReLU()]
    pool = lambda: nn.MaxPool2d(2, stride=2)
    hidden = lambda i, o: [nn.Linear(i, o), nn.ReLU(), nn.Dropout(dropout)]
    if family == "deep_cnn":
        (f,) = widths
        h, w = shape[1] // 2 // 2, shape[2] // 2 // 2
        layers += conv(1, f) + conv(f, f) + [pool()] + conv(f, f) + conv(f, f)
        layers += [pool(), nn.Flatten()] + hidden(h * w * f, f)
        out = nn.Linear(f, classes)
    elif family == "shallow_cnn":
        f, d = widths
        h, w = shape[1] // 2, shape[2] // 2
        layers += conv(1, f) + [pool(), nn.Flatten()] + hidden(h * w * f, d)
        out = nn.Linear(d, classes)
    elif family in ("shallow_mlp", "deep_mlp"):
        n = shape[0]
        for width in widths:
            layers += hidden(n, width)
            n = width
        out = nn.Linear(n, classes)
    else:
        raise ValueError(f"{family} is not a torch family")
    net = nn.Sequential(*layers, out)
    # Keras' defaults: Glorot-uniform kernels, zero biases.
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            else:
                nn.init.xavier_uniform_(p)
    return net, out


def parse_size(family, size):
    widths = [int(w) for w in size.split(",")]
    if family == "shallow_cnn" and len(widths) == 1:
        widths.append(max(int(round(widths[0] / 3)), 2))
    return widths


class Trial:
    """One trial: train with early stopping, keep the best epoch, test."""

    def __init__(self, ds, family, size, lr, dropout, seed, batch_size=32,
                 max_epochs=50, patience=5, l2=0.01, skip=0, input_bytes=0,
                 threads=1):
        torch.set_num_threads(threads)
        torch.manual_seed(seed)
        self.gen = torch.Generator().manual_seed(seed)
        fb = ds["features"].shape[1]
        input_bytes = input_bytes or fb - skip
        self.shape = input_shape(family, input_bytes)
        self.net, self.out = build_model(family, parse_size(family, size),
                                         self.shape, len(ds["class_names"]),
                                         dropout)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=lr, eps=1e-7)
        self.batch_size, self.max_epochs = batch_size, max_epochs
        self.patience, self.l2 = patience, l2
        x = torch.from_numpy(
            ds["features"][:, skip:skip + input_bytes].copy())
        y = torch.from_numpy(ds["labels"])
        splits = torch.from_numpy(ds["splits"].astype(np.int64))
        self.data = {}
        for s in (SPLIT_TRAIN, SPLIT_VAL, SPLIT_TEST):
            rows = (splits == s).nonzero().flatten()
            xs = x[rows].float().div_(255.0)
            self.data[s] = (xs.view(len(rows), *self.shape), y[rows])
        self.loss_fn = nn.CrossEntropyLoss()

    def penalty(self):
        return self.l2 * self.out.weight.pow(2).sum()

    def train_epoch(self):
        self.net.train()
        x, y = self.data[SPLIT_TRAIN]
        n = len(y)
        perm = torch.randperm(n, generator=self.gen)
        loss_sum, correct = 0.0, 0
        for begin in range(0, n, self.batch_size):
            idx = perm[begin:begin + self.batch_size]
            xb, yb = x[idx], y[idx]
            self.opt.zero_grad()
            logits = self.net(xb)
            loss = self.loss_fn(logits, yb) + self.penalty()
            loss.backward()
            self.opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        return loss_sum / n, correct / n

    @torch.no_grad()
    def evaluate(self, split):
        self.net.eval()
        x, y = self.data[split]
        ce, correct, preds = 0.0, 0, []
        for begin in range(0, len(y), 1024):
            logits = self.net(x[begin:begin + 1024])
            yb = y[begin:begin + 1024]
            ce += nn.functional.cross_entropy(logits, yb, reduction="sum").item()
            p = logits.argmax(1)
            correct += (p == yb).sum().item()
            preds.append(p)
        n = max(len(y), 1)
        return ce / n + self.penalty().item(), correct / n, torch.cat(preds)

    def run(self, on_epoch=None):
        """Keras EarlyStopping(val_accuracy, patience) + best checkpoint."""
        best_epoch, best_acc, wait, best_state = 0, 0.0, 0, None
        epochs = 0
        for epoch in range(1, self.max_epochs + 1):
            start = time.perf_counter()
            train_loss, train_acc = self.train_epoch()
            val_loss, val_acc, _ = self.evaluate(SPLIT_VAL)
            seconds = time.perf_counter() - start
            epochs = epoch
            if on_epoch:
                on_epoch({"epoch": epoch, "train_loss": train_loss,
                          "train_accuracy": train_acc, "val_loss": val_loss,
                          "val_accuracy": val_acc, "seconds": seconds})
            if best_epoch == 0 or val_acc > best_acc:
                best_epoch, best_acc, wait = epoch, val_acc, 0
                best_state = {k: v.clone()
                              for k, v in self.net.state_dict().items()}
            else:
                wait += 1
            if wait >= self.patience:
                break
        self.net.load_state_dict(best_state)
        _, test_acc, _ = self.evaluate(SPLIT_TEST)
        return {"epochs": epochs, "best_epoch": best_epoch,
                "val_accuracy": best_acc, "test_accuracy": test_acc}


def main(argv):
    """python3 pktgrid_torch.py '<json kwargs>' DATASET: one trial, JSON out.

    Prints one JSON line per epoch ({"epoch": ...}) and a final result line.
    """
    kwargs = json.loads(argv[1])
    ds = read_dataset(argv[2])
    start = time.perf_counter()
    trial = Trial(ds, **kwargs)
    result = trial.run(lambda m: print(json.dumps(m), flush=True))
    result["train_rows"] = len(trial.data[SPLIT_TRAIN][1])
    result["seconds"] = time.perf_counter() - start
    result["versions"] = f"torch {torch.__version__}, numpy {np.__version__}"
    print(json.dumps({"result": result}), flush=True)


if __name__ == "__main__":
    main(sys.argv)
