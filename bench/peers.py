#!/usr/bin/python3
"""Peers of ../shared/bench/TASKS.md T1-T3: the tutorial's from-scratch NumPy network and scikit-learn.

Usage: /usr/bin/python3 bench/peers.py DATA_DIR   (prints one JSON object per task and peer)
Writes the shared data to DATA_DIR first (NumPy's legacy RandomState, stable across versions), so that
Backprop's side reads the very same numbers.
"""
import json
import os
import sys
import time
import warnings

import numpy as np


# --- the tutorial's from-scratch network: Layer / Loss / NeuralNetwork -------------------------------
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda a: a * (1 - a)),
    "relu": (lambda z: np.maximum(z, 0), lambda a: (a > 0).astype(a.dtype)),
    "tanh": (np.tanh, lambda a: 1 - a * a),
}


class Layer:
    def __init__(self, n_in, n_out, activation, rng):
        limit = np.sqrt(6.0 / (n_in + n_out))
        scale = np.sqrt(2.0 / n_in)
        self.W = rng.randn(n_in, n_out) * scale if activation == "relu" else rng.uniform(-limit, limit, (n_in, n_out))
        self.b = np.zeros((1, n_out))
        self.f, self.df = ACTIVATIONS[activation]

    def forward(self, x):
        self.x = x
        self.a = self.f(x @ self.W + self.b)
        return self.a

    def backward(self, grad_a, lr):
        grad_z = grad_a * self.df(self.a)
        grad_x = grad_z @ self.W.T
        self.W -= lr * (self.x.T @ grad_z)
        self.b -= lr * grad_z.sum(axis=0, keepdims=True)
        return grad_x


class NeuralNetwork:
    def __init__(self, sizes, activations, seed):
        rng = np.random.RandomState(seed)
        self.layers = [Layer(a, b, f, rng) for a, b, f in zip(sizes[:-1], sizes[1:], activations)]

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def train(self, x, y, loss, lr, epochs, batch_size=None, seed=0):
        rng = np.random.RandomState(seed)
        n = len(x)
        for _ in range(epochs):
            order = rng.permutation(n) if batch_size else np.arange(n)
            step = batch_size or n
            for start in range(0, n, step):
                idx = order[start:start + step]
                p = self.predict(x[idx])
                if loss == "mse":
                    grad = 2 * (p - y[idx]) / p.size
                else:  # binary cross-entropy through the sigmoid: dL/da such that dL/dz = (p - y)/n
                    grad = (p - y[idx]) / (p * (1 - p) + 1e-12) / len(idx)
                for layer in reversed(self.layers):
                    grad = layer.backward(grad, lr)


# --- data --------------------------------------------------------------------------------------------
def t2_data():
    np.random.seed(42)
    x = np.random.randn(100, 3)
    y = ((x[:, 0] > 0) & (x[:, 1] > 0)).astype(float).reshape(-1, 1)
    return x, y


def emit(task, peer, **figures):
    print(json.dumps(dict(task=task, peer=peer, **figures)), flush=True)


def main():
    data_dir = sys.argv[1]
    os.makedirs(data_dir, exist_ok=True)
    x2, y2 = t2_data()
    np.savetxt(os.path.join(data_dir, "t2.csv"), np.hstack([x2, y2]), delimiter=",", fmt="%.17g")
    xor_x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    xor_y = np.array([[0], [1], [1], [0]], dtype=float)

    # T1 XOR: 2-4-1 sigmoid, mse, sgd 0.1, full batch, 10,000 epochs
    net = NeuralNetwork([2, 4, 1], ["sigmoid", "sigmoid"], seed=1)
    start = time.perf_counter()
    net.train(xor_x, xor_y, "mse", 0.1, 10_000)
    seconds = time.perf_counter() - start
    emit("T1", "numpy-tutorial", epochs_per_s=10_000 / seconds, correct=int(((net.predict(xor_x) > 0.5) == (xor_y > 0.5)).sum()))

    from sklearn.neural_network import MLPClassifier
    warnings.filterwarnings("ignore")
    # scikit-learn has no mse with a sigmoid output: MLPClassifier is logistic output + log-loss
    clf = MLPClassifier(hidden_layer_sizes=(4,), activation="logistic", solver="sgd", learning_rate_init=0.1, momentum=0,
                        alpha=0, batch_size=4, max_iter=10_000, shuffle=False, tol=0, n_iter_no_change=10_001, random_state=1)
    start = time.perf_counter()
    clf.fit(xor_x, xor_y.ravel())
    seconds = time.perf_counter() - start
    emit("T1", "sklearn", epochs_per_s=clf.n_iter_ / seconds, correct=int((clf.predict(xor_x) == xor_y.ravel()).sum()))

    # T2: 3-4(relu)-6(relu)-1(sigmoid), bce, sgd 0.01, batch 10 shuffled, 1,000 epochs; rows 0-79 / 80-99
    xt, yt, xv, yv = x2[:80], y2[:80], x2[80:], y2[80:]
    net = NeuralNetwork([3, 4, 6, 1], ["relu", "relu", "sigmoid"], seed=3)
    start = time.perf_counter()
    net.train(xt, yt, "bce", 0.01, 1_000, batch_size=10, seed=3)
    seconds = time.perf_counter() - start
    emit("T2", "numpy-tutorial", wall_s=seconds, val_accuracy=float(((net.predict(xv) > 0.5) == (yv > 0.5)).mean()))
    clf = MLPClassifier(hidden_layer_sizes=(4, 6), activation="relu", solver="sgd", learning_rate_init=0.01, momentum=0, alpha=0,
                        batch_size=10, max_iter=1_000, shuffle=True, tol=0, n_iter_no_change=1_001, random_state=3)
    start = time.perf_counter()
    clf.fit(xt, yt.ravel())
    seconds = time.perf_counter() - start
    emit("T2", "sklearn", wall_s=seconds, val_accuracy=float((clf.predict(xv) == yv.ravel()).mean()))

    # T3: 18 trials of 3-h(act)-1(sigmoid), bce, batch 10, 500 epochs, run one after the other
    start = time.perf_counter()
    best = None
    for lr in (0.001, 0.01, 0.1):
        for h in (4, 8, 16):
            for act in ("relu", "tanh"):
                clf = MLPClassifier(hidden_layer_sizes=(h,), activation=act, solver="sgd", learning_rate_init=lr, momentum=0,
                                    alpha=0, batch_size=10, max_iter=500, shuffle=True, tol=0, n_iter_no_change=501,
                                    random_state=1)
                clf.fit(xt, yt.ravel())
                score = float((clf.predict(xv) == yv.ravel()).mean())
                if best is None or score > best[0]:
                    best = (score, dict(lr=lr, h=h, act=act))
    emit("T3", "sklearn-sequential", wall_s=time.perf_counter() - start, best=best[1], val_accuracy=best[0])


if __name__ == "__main__":
    main()
