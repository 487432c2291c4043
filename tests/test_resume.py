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
from dpaat.train import load_checkpoint

DPAAT = str(Path(sys.executable).parent / 'dpaat')
ARGS = ['--model', 'small_cnn', '--image-size', '24', '--max-per-class', '40', '--epochs', '4', '--eps', '0.5', '--lr', '3e-3',
        '--patience', 'none', '--quiet']
# A U-Net's resume (IMA's per-image margins on the Dice) is checked in nbs/05_train.ipynb (stop after an epoch, resume: the same
# weights and log); the SIGKILL half is the same checkpoint code whatever the task, so it is tested here on classifiers only.


def train(out, *extra):
    r = subprocess.run([DPAAT, 'train', '--out', str(out), *ARGS, *extra], capture_output=True, text=True)  # later flags win
    assert r.returncode == 0, r.stderr
    return r


def kill_during_epoch(out, method, after_epochs, extra=()):
    """Start a run, wait until `after_epochs` epochs are logged, then SIGKILL it while the next epoch is under way."""
    p = subprocess.Popen([DPAAT, 'train', '--out', str(out), '--method', method, *ARGS, *extra], stdout=subprocess.DEVNULL,
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


@pytest.mark.parametrize('method,extra', [('ima', ()), ('dpaat', ())], ids=['ima', 'dpaat'])
def test_sigkill_then_resume_equals_uninterrupted(tmp_path, method, extra):
    train(tmp_path / 'whole', '--method', method, *extra)
    done = kill_during_epoch(tmp_path / 'killed', method, after_epochs=2, extra=extra)
    assert 2 <= done < 4, done
    assert not (tmp_path / 'killed' / 'model.pt').exists()
    train(tmp_path / 'killed', '--method', method, '--resume', *extra)
    assert not list((tmp_path / 'killed').glob('.*.tmp*'))  # a write the kill interrupted leaves nothing behind after the resume
    a, b = load_checkpoint(tmp_path / 'whole' / 'model.pt'), load_checkpoint(tmp_path / 'killed' / 'model.pt')
    assert a['best_epoch'] == b['best_epoch']
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k
    la, lb = pd.read_csv(tmp_path / 'whole' / 'log.csv'), pd.read_csv(tmp_path / 'killed' / 'log.csv')
    cols = [c for c in la.columns if not c.startswith('sec_')]
    pd.testing.assert_frame_equal(la[cols], lb[cols])
    # a kill between the checkpoint and the log (the checkpoint is written first): the log is one row short and the final
    # model missing; resuming rewrites the log from the checkpoint's history and writes the model, identical to the whole run's
    lines = (tmp_path / 'killed' / 'log.csv').read_text().splitlines(keepends=True)
    (tmp_path / 'killed' / 'log.csv').write_text(''.join(lines[:-1])); (tmp_path / 'killed' / 'model.pt').unlink()
    train(tmp_path / 'killed', '--method', method, '--resume', *extra)
    assert (tmp_path / 'killed' / 'log.csv').read_text() == ''.join(lines)
    b = load_checkpoint(tmp_path / 'killed' / 'model.pt')
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k


def test_a_second_writer_is_refused_at_once(tmp_path):
    """Two `dpaat train` on one folder: the second exits 2 at once, naming the folder; the first goes on and finishes."""
    out = tmp_path / 'run'
    p = subprocess.Popen([DPAAT, 'train', '--out', str(out), '--method', 'at', *ARGS], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None and not (out / 'config.json').exists(): time.sleep(0.05)
    assert p.poll() is None, p.stderr.read()
    t0 = time.time()
    r = subprocess.run([DPAAT, 'train', '--out', str(out), '--method', 'at', *ARGS, '--resume'], capture_output=True, text=True)
    assert r.returncode == 2 and 'is in use by another dpaat process' in r.stderr and str(out) in r.stderr, r.stderr
    assert p.poll() is None  # refused while the first is still training, not after
    assert p.wait(timeout=600) == 0, p.stderr.read()
    assert len(pd.read_csv(out / 'log.csv')) == 4 and (out / 'model.pt').exists()

