"""The nine methods of the paper train exactly as they did before methods became declarations (`dpaat.methods`).

`identity.json` holds the fingerprints (SHA-256 of the final weights, and the per-epoch log without its time columns) of a
run of each method at the smoke profile's settings, made with the code of commit 2161973 (before the registry):

    git worktree add /tmp/before 2161973 && PYTHONPATH=/tmp/before python tests/test_identity.py write tests/identity.json

This test trains the same nine runs with the code under test and compares. The weights must be bit-identical when the torch
version is the one the fingerprints were made with (floating-point kernels may change between torch versions); the logs
must then agree exactly too, and to 1e-5 otherwise. One CPU thread, so that the reductions' order is fixed.
"""
import hashlib, json, os, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest
import torch

HERE = Path(__file__).parent
METHODS = ['std', 'at', 'sat', 'amat', 'ima', 'dpaat', 'dpaat-a', 'dpaat-b', 'dpaat-reuse']
ARGS = ['--model', 'small_cnn', '--image-size', '32', '--epochs', '2', '--max-per-class', '24', '--eps', '0.5', '--patience',
        'none', '--no-val-robust', '--channels-last', '--quiet']


def run(out: Path, method: str):
    extra = ['--amat-reference', str(out / 'std')] if method == 'amat' else []
    cmd = [sys.executable, '-c', 'import sys; from dpaat.cli import main; sys.exit(main())', 'train', '--method', method,
           '--out', str(out / method), *ARGS, *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr


def fingerprint(run_dir: Path) -> dict:
    rec = torch.load(run_dir / 'model.pt', map_location='cpu', weights_only=False)
    h = hashlib.sha256()
    for k in sorted(rec['model']): h.update(k.encode()); h.update(rec['model'][k].contiguous().numpy().tobytes())
    log = pd.read_csv(run_dir / 'log.csv')
    log = log[[c for c in log.columns if not c.startswith('sec_')]]
    return dict(weights=h.hexdigest(), log=json.loads(log.to_json(orient='columns')))


def fingerprints(out: Path) -> dict:
    res = {}
    for m in METHODS:
        run(out, m)
        res[m] = fingerprint(out / m)
    return dict(torch=torch.__version__, runs=res)


def test_nine_methods_unchanged(tmp_path):
    ref = json.loads((HERE / 'identity.json').read_text())
    now = fingerprints(tmp_path)
    same_torch = ref['torch'] == now['torch']
    for m in METHODS:
        a, b = ref['runs'][m], now['runs'][m]
        la, lb = pd.DataFrame(a['log']), pd.DataFrame(b['log'])
        assert list(la.columns) == list(lb.columns), m
        if same_torch:
            assert a['weights'] == b['weights'], f"{m}: weights differ from the reference run"
            pd.testing.assert_frame_equal(la, lb, check_exact=True, obj=m)
        else:
            pd.testing.assert_frame_equal(la, lb, check_exact=False, rtol=1e-5, atol=1e-7, obj=m)


if __name__ == '__main__':
    import tempfile
    assert sys.argv[1] == 'write', 'usage: python tests/test_identity.py write FILE'
    with tempfile.TemporaryDirectory() as d:
        Path(sys.argv[2]).write_text(json.dumps(fingerprints(Path(d)), indent=1) + '\n')
    print('wrote', sys.argv[2])
