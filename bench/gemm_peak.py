#!/usr/bin/python3
"""The machine's limit: the best sustained 4096x4096 GEMM of NumPy's OpenBLAS, float64 and float32, 1 and 2 threads.

Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (bench/run.sh does, for this one command only) so that
OpenBLAS picks the kernel for this CPU; the kernel it ran is printed with the figures.
Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/gemm_peak.py
"""
import json
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

N = 4096
REPEATS = 3

blas = next((pool for pool in threadpool_info() if pool["user_api"] == "blas"), {})
for dtype, precision in ((np.float64, "float64"), (np.float32, "float32")):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((N, N)).astype(dtype)
    b = rng.standard_normal((N, N)).astype(dtype)
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="blas"):
            a @ b  # first call: page in, start the threads
            best = float("inf")
            for _ in range(REPEATS):
                start = time.perf_counter()
                a @ b
                best = min(best, time.perf_counter() - start)
        print(json.dumps(dict(task="gemm", peer="openblas", precision=precision, threads=threads,
                              gflops=2 * N ** 3 / best / 1e9, kernel=blas.get("architecture", "?"),
                              library=f"{blas.get('internal_api', '?')} {blas.get('version', '?')}")), flush=True)
