"""Kill-and-resume: a training process killed with SIGKILL in the middle of an epoch, then resumed, ends exactly where an
uninterrupted run ends.

Not a notebook because it kills a real process at an arbitrary moment, which a notebook cell cannot do to itself. The
in-process version (stop after k epochs, resume) is in nbs/05_train.ipynb.
"""
import os, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest
import torch

DPAAT = str(Path(sys.executable).parent / 'dpaat')
ARGS = ['--model', 'small_cnn', '--image-size', '24', '--max-per-class', '40', '--epochs', '4', '--eps', '0.5', '--lr', '3e-3',
        '--patience', 'none', '--quiet']


def train(out, *extra):
    r = subprocess.run([DPAAT, 'train', '--out', str(out), *ARGS, *extra], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r


def kill_during_epoch(out, method, after_epochs):
    """Start a run, wait until `after_epochs` epochs are logged, then SIGKILL it while the next epoch is under way."""
    p = subprocess.Popen([DPAAT, 'train', '--out', str(out), '--method', method, *ARGS], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    log, deadline = Path(out) / 'log.csv', time.time() + 300
    while time.time() < deadline and p.poll() is None:
        if log.exists() and len(pd.read_csv(log)) >= after_epochs: break
        time.sleep(0.05)
    assert p.poll() is None, f'the run ended before it could be killed: {p.stderr.read()}'
    time.sleep(0.3)  # into the next epoch
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    return len(pd.read_csv(log))


@pytest.mark.parametrize('method', ['ima', 'dpaat'])
def test_sigkill_then_resume_equals_uninterrupted(tmp_path, method):
    train(tmp_path / 'whole', '--method', method)
    done = kill_during_epoch(tmp_path / 'killed', method, after_epochs=2)
    assert 2 <= done < 4, done
    assert not (tmp_path / 'killed' / 'model.pt').exists()
    train(tmp_path / 'killed', '--method', method, '--resume')
    assert not list((tmp_path / 'killed').glob('.*.tmp*'))  # a write the kill interrupted leaves nothing behind after the resume
    a = torch.load(tmp_path / 'whole' / 'model.pt', weights_only=False)
    b = torch.load(tmp_path / 'killed' / 'model.pt', weights_only=False)
    assert a['best_epoch'] == b['best_epoch']
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k
    la, lb = pd.read_csv(tmp_path / 'whole' / 'log.csv'), pd.read_csv(tmp_path / 'killed' / 'log.csv')
    cols = [c for c in la.columns if not c.startswith('sec_')]
    pd.testing.assert_frame_equal(la[cols], lb[cols])
