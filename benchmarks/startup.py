"""What a reproduction's run pays before it trains (issue 38): a notebook kernel's start, and the run notebook's imports, each
in a fresh process, the median of 5 on this machine. A benchmark that prints numbers, not a test.
Run: python benchmarks/startup.py [--csv FILE]   (on a quiet machine: the numbers are wall-clock seconds)"""
import os, statistics, subprocess, sys, time

RUN_IMPORTS = """from dpaat.grid import load_profile, run_spec, start_run, finish_run, is_done, score_run_cams
from dpaat.train import train
from dpaat.evaluate import evaluate_run, pgd_attack, ifgsm_attack, save_overlays
from dpaat.tasks import get_task
from dpaat.cam import save_gradcam"""  # the first cell of nbs/paper/run.ipynb

def median_of(f, n=5):
    return statistics.median(f() for _ in range(n))

def process(code):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, '-c', code], check=True)
    return time.perf_counter() - t0

def kernel():
    "Start a python3 kernel and wait until it answers, as papermill does; then shut it down."
    from jupyter_client.manager import start_new_kernel
    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name='python3')
    dt = time.perf_counter() - t0
    kc.stop_channels(); km.shutdown_kernel(now=True)
    return dt

if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(); ap.add_argument('--csv', help='also write the table to this CSV (step, seconds, cores, load)')
    a = ap.parse_args()
    load = os.getloadavg()[0]
    print(f'{os.cpu_count()} cores, load average {load:.2f}; median of 5, seconds')
    out = []
    rows = [('python itself', lambda: process('pass')),
            ('import torch', lambda: process('import torch')),
            ('import torchvision', lambda: process('import torchvision')),
            ("run notebook's imports", lambda: process(RUN_IMPORTS)),
            ('kernel start (papermill)', kernel)]
    for name, f in rows:
        out.append(dict(step=name, seconds=round(median_of(f), 2), cores=os.cpu_count(), load=round(load, 2)))
        print(f"{name:<28} {out[-1]['seconds']:6.2f}", flush=True)
    if a.csv:
        import pandas as pd
        from dpaat.files import atomic_write_csv  # the project's CSV writer
        atomic_write_csv(pd.DataFrame(out), a.csv)
