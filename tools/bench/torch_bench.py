# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch reference benchmark for Vesicle (not a dependency of Vesicle itself).

Measures CPU training throughput (minibatch steps per second) of the stochastic
synapse protocol from "Signatures of Bayesian inference emerge from energy
efficient synapses": a 784-100-100-10 ReLU network in which every weight and bias
is w = mu + softplus(phi) * xi, xi ~ N(0, 1) drawn once per minibatch, trained
with Adam (lr 5e-4) on
    sum_batch CE + (B/N) * (lambda * sum|mu| + c * sum sigma^-rho).
Reported configurations: a single network written plainly (2-D weights, addmm), cohorts of K networks stacked
along a leading dimension (baddbmm forward, one optimiser), K networks stepped one after another on
each minibatch ("sequential"), and with --processes P the best sweep on P cores: P single-thread
processes at once ("sweep"). OpenBLAS is pinned to --threads threads (see below).
"""
import argparse
import gzip
import json
import math
import multiprocessing
import os
import sys
import time


def _threads_from_argv():
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


# OpenBLAS (Debian's torch runs its GEMMs there) starts its own pool of threads, one per core,
# which torch.set_num_threads does not reach: a "single-thread" run then has OpenBLAS split
# every small GEMM over two threads, at 140-160 steps/s instead of 205 for the plain network on
# the 2-core development machine, and two such processes fight over the cores. A careful user
# pins it, and it must be pinned before torch (and so OpenBLAS) is loaded.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, _threads_from_argv())

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SIZES = (784, 100, 100, 10)
B, N, LR, LAM, RHO, C = 20, 8000, 5e-4, 1e-4, 0.5, 1e-2
PHI0 = math.log(math.expm1(1e-4))  # softplus(PHI0) = sigma_init = 1e-4


def load_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_data(data_dir):
    if data_dir:
        x = load_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))[:N]
        y = load_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))[:N]
        x = torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / 255.0)
        return x, torch.from_numpy(y.astype(np.int64))
    return torch.rand(N, SIZES[0]), torch.randint(0, 10, (N,))


def make_params(K):
    """mu/phi for each layer, shape (K, in, out) and (K, 1, out) for biases."""
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        for shape in ((K, n_in, n_out), (K, 1, n_out)):
            mu = torch.empty(shape).uniform_(-0.1, 0.1).requires_grad_()
            phi = torch.full(shape, PHI0).requires_grad_()
            params.append((mu, phi))
    return params


def make_step(K):
    """Return a closure doing one Adam step for K stacked networks."""
    params = make_params(K)
    opt = torch.optim.Adam([t for p in params for t in p], lr=LR)

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        reg = 0.0
        ws = []
        for mu, phi in params:
            sigma = F.softplus(phi)
            ws.append(mu + sigma * torch.randn_like(mu))  # one xi per minibatch
            reg = reg + LAM * mu.abs().sum() + C * sigma.pow(-RHO).sum()
        h = x.expand(K, -1, -1)
        for i in range(0, len(ws), 2):
            h = torch.baddbmm(ws[i + 1], h, ws[i])
            if i + 2 < len(ws):
                h = torch.relu(h)
        ce = F.cross_entropy(h.reshape(-1, SIZES[-1]), y.repeat(K), reduction="sum")
        (ce + (B / N) * reg).backward()  # networks are independent: sum over K
        opt.step()

    return step


def make_plain_step():
    """One network the way a PyTorch user writes it: 2-D weights and addmm, no K dimension."""
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        for shape in ((n_in, n_out), (n_out,)):
            params.append((torch.empty(shape).uniform_(-0.1, 0.1).requires_grad_(),
                           torch.full(shape, PHI0).requires_grad_()))
    opt = torch.optim.Adam([t for p in params for t in p], lr=LR)

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        reg = 0.0
        ws = []
        for mu, phi in params:
            sigma = F.softplus(phi)
            ws.append(mu + sigma * torch.randn_like(mu))
            reg = reg + LAM * mu.abs().sum() + C * sigma.pow(-RHO).sum()
        h = x
        for i in range(0, len(ws), 2):
            h = torch.addmm(ws[i + 1], h, ws[i])
            if i + 2 < len(ws):
                h = torch.relu(h)
        ce = F.cross_entropy(h, y, reduction="sum")
        (ce + (B / N) * reg).backward()
        opt.step()

    return step


def bench(steps_fns, x, y, warmup, steps):
    def run(n):
        for _ in range(n):
            idx = torch.randint(0, N, (B,))
            xb, yb = x[idx], y[idx]
            for fn in steps_fns:
                fn(xb, yb)

    run(warmup)
    t0 = time.perf_counter()
    run(steps)
    return steps / (time.perf_counter() - t0)


def _sweep_worker(args, queue):
    torch.set_num_threads(1)
    torch.manual_seed(args[0])
    x, y = load_data(args[1])
    step = make_plain_step() if args[2] == 1 else make_step(args[2])
    queue.put(bench([step], x, y, args[3], args[4]) * args[2])


def sweep(processes, K, data, warmup, steps):
    """The peer's best sweep on P cores: P single-thread processes at once, each training its
    own network (K = 1, plain) or stacked cohort; network steps per second, summed."""
    queue = multiprocessing.get_context("fork").Queue()
    workers = [multiprocessing.get_context("fork").Process(
                   target=_sweep_worker, args=((seed, data, K, warmup, steps), queue))
               for seed in range(processes)]
    for w in workers:
        w.start()
    total = sum(queue.get() for _ in workers)
    for w in workers:
        w.join()
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--K", default="1,4,16", help="comma-separated cohort sizes")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--sequential", type=int, default=16,
                    help="K for the sequential comparison (0 to skip)")
    ap.add_argument("--data", default=None, help="dir with MNIST IDX .gz files")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--processes", type=int, default=0,
                    help="also run the best sweep on this many cores: one single-thread "
                         "process per core, each with a plain network and each with a stacked "
                         "cohort of every --K")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y = load_data(args.data)

    results = [{"K": 1, "mode": "plain",
                 "steps_per_s": bench([make_plain_step()], x, y, args.warmup, args.steps)}]
    results[0]["network_steps_per_s"] = results[0]["steps_per_s"]
    for K in (int(k) for k in args.K.split(",")):
        sps = bench([make_step(K)], x, y, args.warmup, args.steps)
        results.append({"K": K, "mode": "stacked", "steps_per_s": sps,
                        "network_steps_per_s": K * sps})
    if args.sequential > 0:
        K = args.sequential
        sps = bench([make_step(1) for _ in range(K)], x, y, args.warmup, args.steps)
        results.append({"K": K, "mode": "sequential", "steps_per_s": sps,
                        "network_steps_per_s": K * sps})

    if args.processes > 0:
        for K in [1] + [int(k) for k in args.K.split(",") if int(k) > 1]:
            results.append({"K": K, "mode": "sweep", "processes": args.processes,
                            "network_steps_per_s": sweep(args.processes, K, args.data,
                                                         args.warmup, args.steps)})
    print(json.dumps({"framework": "pytorch", "torch_version": torch.__version__,
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                      "threads": torch.get_num_threads(),
                      "data": args.data or "random", "batch": B, "N": N,
                      "steps": args.steps, "results": results}, indent=2))


if __name__ == "__main__":
    main()
