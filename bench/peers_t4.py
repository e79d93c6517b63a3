#!/usr/bin/python3
"""Peers of ../shared/bench/TASKS.md T4-T6: the tutorial's NumPy network, scikit-learn and PyTorch on the
784-256(relu)-128(relu)-10(softmax) network, each at 1 and 2 threads and, where it has one, in float32 too.

Usage: /usr/bin/python3 bench/peers_t4.py DATA_DIR        (prints one JSON object per task, peer, precision, threads)
       /usr/bin/python3 bench/peers_t4.py DATA_DIR --data (only writes t4_x.f32 and t4_y.u8 for Backprop's side)

The data follow TASKS.md to the letter: rs = RandomState(42); W = rs.randn(784, 10);
X = round(rs.randn(70000, 784), 4) as float32; y = argmax(X @ W); rows 0-59,999 train, the rest validate.
Timings cover the training loop only (no data preparation, no validation pass).
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

TRAIN_ROWS = 60_000
LEARNING_RATE = 0.05
T6_BATCH_ROWS, T6_BATCHES, T6_SINGLE_CALLS, T6_REPEATS = 1_000, 100, 2_000, 3


def t4_data():
    rs = np.random.RandomState(42)
    w = rs.randn(784, 10)
    x = np.round(rs.randn(70_000, 784), 4).astype(np.float32)
    y = np.argmax(x @ w, axis=1)
    return x, y


def emit(**figures):
    print(json.dumps(figures), flush=True)


# --- the tutorial's from-scratch network, with the softmax output the T4 network needs -------------------
class Layer:
    def __init__(self, n_in, n_out, activation, rng):
        self.W = rng.randn(n_in, n_out) * np.sqrt(2.0 / n_in)
        self.b = np.zeros((1, n_out))
        self.activation = activation

    def forward(self, x):
        self.x = x
        z = x @ self.W + self.b
        if self.activation == "relu":
            self.a = np.maximum(z, 0)
        else:  # softmax
            e = np.exp(z - z.max(axis=1, keepdims=True))
            self.a = e / e.sum(axis=1, keepdims=True)
        return self.a

    def backward(self, grad, lr):
        # relu: grad is dL/da; softmax: grad is already dL/dz = (p - y) / n (softmax + cross-entropy)
        grad_z = grad * (self.a > 0) if self.activation == "relu" else grad
        grad_x = grad_z @ self.W.T
        self.W -= lr * (self.x.T @ grad_z)
        self.b -= lr * grad_z.sum(axis=0, keepdims=True)
        return grad_x


class NeuralNetwork:
    def __init__(self, seed):
        rng = np.random.RandomState(seed)
        self.layers = [Layer(784, 256, "relu", rng), Layer(256, 128, "relu", rng), Layer(128, 10, "softmax", rng)]

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def train(self, x, onehot, batch, epochs, seed):
        rng = np.random.RandomState(seed)
        for _ in range(epochs):
            order = rng.permutation(len(x))
            for start in range(0, len(x), batch):
                idx = order[start:start + batch]
                grad = (self.predict(x[idx]) - onehot[idx]) / len(idx)
                for layer in reversed(self.layers):
                    grad = layer.backward(grad, LEARNING_RATE)


def numpy_peer(x, y, xv, yv, batch, epochs):
    xt = x.astype(np.float64)
    onehot = np.eye(10)[y]
    net = NeuralNetwork(seed=42)
    start = time.perf_counter()
    net.train(xt, onehot, batch, epochs, seed=42)
    seconds = time.perf_counter() - start
    accuracy = float((net.predict(xv.astype(np.float64)).argmax(axis=1) == yv).mean())
    return seconds, accuracy, lambda rows: net.predict(rows.astype(np.float64))


def sklearn_peer(x, y, xv, yv, batch, epochs, dtype):
    from sklearn.neural_network import MLPClassifier
    warnings.filterwarnings("ignore")
    clf = MLPClassifier(hidden_layer_sizes=(256, 128), activation="relu", solver="sgd", learning_rate_init=LEARNING_RATE,
                        momentum=0, alpha=0, batch_size=batch, max_iter=epochs, shuffle=True, tol=0,
                        n_iter_no_change=epochs + 1, random_state=42)
    xt = x.astype(dtype)
    start = time.perf_counter()
    clf.fit(xt, y)
    seconds = time.perf_counter() - start
    accuracy = float((clf.predict(xv.astype(dtype)) == yv).mean())
    return seconds, accuracy, lambda rows: clf.predict_proba(rows.astype(dtype))


def torch_peer(x, y, xv, yv, batch, epochs, dtype):
    import torch
    from torch import nn
    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).to(torch_dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()  # softmax output + categorical cross-entropy, on the logits
    xt = torch.from_numpy(x.astype(dtype))
    yt = torch.from_numpy(y.astype(np.int64))
    generator = torch.Generator().manual_seed(42)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(xt), generator=generator)
        for first in range(0, len(xt), batch):
            idx = order[first:first + batch]
            optimizer.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()

    def predict(rows):
        with torch.no_grad():
            return torch.softmax(model(torch.from_numpy(rows.astype(dtype))), dim=1).numpy()

    return seconds, float((predict(xv).argmax(axis=1) == yv).mean()), predict


def inference(predict, x):
    """T6: 100,000 rows in batches of 1,000 (best of three passes), then 2,000 single-row calls."""
    predict(x[:T6_BATCH_ROWS])
    rows_per_s = 0
    for _ in range(T6_REPEATS):  # the best of three passes, as on Backprop's side: this machine is noisy
        start = time.perf_counter()
        for b in range(T6_BATCHES):
            first = (b * T6_BATCH_ROWS) % len(x)
            predict(x[first:first + T6_BATCH_ROWS])
        rows_per_s = max(rows_per_s, T6_BATCHES * T6_BATCH_ROWS / (time.perf_counter() - start))
    latencies = []
    for r in range(T6_SINGLE_CALLS):
        start = time.perf_counter()
        predict(x[r:r + 1])
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    return dict(rows_per_s=rows_per_s, single_median_ms=1e3 * latencies[len(latencies) // 2],
                single_p99_ms=1e3 * latencies[int(len(latencies) * 0.99)])


def main():
    data_dir = sys.argv[1]
    os.makedirs(data_dir, exist_ok=True)
    x, y = t4_data()
    if "--data" in sys.argv:
        x.tofile(os.path.join(data_dir, "t4_x.f32"))  # little-endian float32, row-major
        y.astype(np.uint8).tofile(os.path.join(data_dir, "t4_y.u8"))
        return
    xt, yt, xv, yv = x[:TRAIN_ROWS], y[:TRAIN_ROWS], x[TRAIN_ROWS:], y[TRAIN_ROWS:]
    import torch
    peers = [("numpy-tutorial", "float64", lambda b, e: numpy_peer(xt, yt, xv, yv, b, e))]
    for precision, dtype in (("float64", np.float64), ("float32", np.float32)):
        peers.append(("sklearn", precision, lambda b, e, d=dtype: sklearn_peer(xt, yt, xv, yv, b, e, d)))
        peers.append(("pytorch", precision, lambda b, e, d=dtype: torch_peer(xt, yt, xv, yv, b, e, d)))
    for peer, precision, run in peers:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            with threadpool_limits(limits=threads):
                seconds, accuracy, predict = run(128, 3)
                emit(task="T4", peer=peer, precision=precision, threads=threads, samples_per_s=3 * TRAIN_ROWS / seconds,
                     val_accuracy=accuracy)
                emit(task="T6", peer=peer, precision=precision, threads=threads, **inference(predict, x))
                seconds, accuracy, _ = run(32, 1)
                emit(task="T5", peer=peer, precision=precision, threads=threads, samples_per_s=TRAIN_ROWS / seconds,
                     val_accuracy=accuracy)


if __name__ == "__main__":
    main()
