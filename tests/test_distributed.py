"""One run over two gloo processes (`torchrun`) on the real data: every process holds the same weights and the same per-sample
state, and a run whose process is killed stops and then resumes exactly.

Not a notebook because it kills a process group mid-run; nbs/03_distributed.ipynb teaches the pieces, and nbs/05_train.ipynb
runs `torchrun -m dpaat train` and measures the distributed run against one process with the global batch."""
import os, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest
import torch

HERE = Path(__file__).parent
ENV = {**os.environ, 'OMP_NUM_THREADS': '1'}
TORCHRUN = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2']


def job(tmp, method, batch, net='small_cnn', procs=2):
    out = tmp / f'{method}-{net}-{procs}'
    out.mkdir()
    cmd = (TORCHRUN if procs == 2 else [sys.executable]) + [str(HERE / 'ddp_job.py'), method, str(batch), str(out), net]
    r = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return [torch.load(out / f'rank{i}.pt', weights_only=True) for i in range(procs)]


@pytest.mark.parametrize('method', ['ima', 'amat', 'dpaat-reuse'])
def test_both_processes_hold_one_state(tmp_path, method):
    "After two epochs of a per-sample method, both processes' margins (or ε) and weights are equal to the bit."
    a, b = job(tmp_path, method, 8)
    assert a['policy'].keys() == b['policy'].keys() and a['policy']
    assert len(a['policy']['E'].unique()) > 1  # the samples' margins (ε) have moved apart: a state worth sharing
    for k in a['policy']: assert torch.equal(a['policy'][k], b['policy'][k]), k
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k
    timing = ['sec_train', 'sec_val', 'sec_epoch']
    pd.testing.assert_frame_equal(pd.DataFrame(a['log']).drop(columns=timing), pd.DataFrame(b['log']).drop(columns=timing))


ARGS = ['--method', 'dpaat-reuse', '--model', 'small_cnn', '--image-size', '32', '--epochs', '4', '--max-per-class', '16',
        '--quiet']


def train(out, *extra, procs=2):
    cmd = (TORCHRUN + ['-m', 'dpaat'] if procs == 2 else [sys.executable, '-m', 'dpaat']) + ['train', '--out', str(out), *ARGS, *extra]
    return subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)


def test_killed_process_stops_the_run_and_it_resumes_exactly(tmp_path):
    "SIGKILL one of the two processes during epoch 2: the job stops with torchrun's report naming it, the next call resumes, and ends where an uninterrupted run ends."
    out = tmp_path / 'killed'
    p = subprocess.Popen(TORCHRUN + ['-m', 'dpaat', 'train', '--out', str(out), *ARGS], env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and p.poll() is None and not (out / 'last.pt').exists(): time.sleep(0.05)
    assert p.poll() is None, f'the run ended before it could be killed: {p.communicate()[1][-2000:]}'
    workers = subprocess.run(['pgrep', '-f', f'dpaat train --out {out}'], capture_output=True, text=True).stdout.split()
    workers = [w for w in workers if int(w) != p.pid]
    assert len(workers) == 2, workers
    os.kill(int(max(workers, key=int)), signal.SIGKILL)  # the process started last: rank 1
    _, err = p.communicate(timeout=120)
    assert p.returncode != 0
    assert 'Root Cause' in err and 'SIGKILL' in err, err[-2000:]
    assert not (out / 'model.pt').exists()
    done = torch.load(out / 'last.pt', weights_only=False)['epoch']
    assert 1 <= done < 4

    r = train(out, '--resume', procs=1)  # resumed by one process: refused, the global batch would change
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'nproc_per_node=2' in r.stderr, r.stderr
    r = train(out, '--resume')
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count('4 epochs') == 1  # process 0 reports, once
    whole = tmp_path / 'whole'
    assert train(whole).returncode == 0
    a, b = torch.load(out / 'last.pt', weights_only=False), torch.load(whole / 'last.pt', weights_only=False)
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k
    assert torch.equal(a['policy']['E'], b['policy']['E'])
    la, lb = pd.read_csv(out / 'log.csv'), pd.read_csv(whole / 'log.csv')
    cols = [c for c in la.columns if not c.startswith('sec_')]
    pd.testing.assert_frame_equal(la[cols], lb[cols])
