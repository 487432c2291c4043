"""The nine methods of the paper train exactly as they did before methods became declarations (`dpaat.methods`).

`identity.json` holds the fingerprints (SHA-256 of the final weights, the last epoch's in `last.pt` rather than the selected
`model.pt`, and the per-epoch log without its time columns) of a run of each method at the smoke profile's settings,
made with the code of commit 2161973 (before the registry):

    git worktree add /tmp/before 2161973 && DPAAT_DATA=../shared/data PYTHONPATH=/tmp/before python tests/test_identity.py write tests/identity.json

This test trains the same nine runs with the code under test and compares: the weights must be bit-identical and the logs
equal. Bit-identity needs the same arithmetic, not only the same code, so every run computes as any x86-64 CPU with AVX2
would: one thread (the reductions' order is fixed), ATen's AVX2 kernels even where AVX-512 is there
(`ATEN_CPU_CAPABILITY`), MKL's conditional numerical reproducibility for AVX2 (`MKL_CBWR`), and oneDNN off (its kernels
block by the machine's cache sizes, so its sums' order depends on the CPU). Without these pins the same torch gave three
different weights on three CI machines, and a changed kernel changes discrete counts in the logs (AMAT's grown samples,
DPAAT's clamped ε), so no tolerance can stand in for them. Other arithmetic (another torch version, a CPU without AVX2)
has no reference: the test is skipped and says so; `.ci/constraints.txt` holds CI's torch at the reference's.

Even under the pins, one machine (2026-12-07, the same torch and AVX2) trained the reference commit's own code to other
bits (a first-epoch loss 1.3e-8 apart), so the stored fingerprints alone cannot tell a changed method from another machine.
Where the runs differ from them, the test trains the reference commit's code on this machine too (a git worktree of it)
and decides from that: if the reference code reproduces the stored fingerprints here, the code under test changed (fail);
if it does not, this machine computes differently, and the code under test must equal the reference code run here.
"""
import hashlib, json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import pandas as pd
import pytest
import torch

HERE = Path(__file__).parent
METHODS = ['std', 'at', 'sat', 'amat', 'ima', 'dpaat', 'dpaat-a', 'dpaat-b', 'dpaat-reuse']
ARGS = ['--model', 'small_cnn', '--image-size', '32', '--epochs', '2', '--max-per-class', '24', '--eps', '0.5', '--patience',
        'none', '--no-val-robust', '--channels-last', '--quiet']


# the arithmetic every run uses (see above); the child checks that ATen took the pin
PINS = {'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1', 'ATEN_CPU_CAPABILITY': 'avx2', 'MKL_CBWR': 'AVX2'}
CHILD = ("import sys, torch; torch.backends.mkldnn.enabled = False; "
         "assert torch.backends.cpu.get_cpu_capability() == 'AVX2', 'no AVX2: ' + torch.backends.cpu.get_cpu_capability(); "
         "from dpaat.cli import main; sys.exit(main())")


def arithmetic() -> str:
    "torch's version and the CPU capability ATen uses under the pins ('AVX2', or less where the CPU lacks it)."
    r = subprocess.run([sys.executable, '-c', 'import torch; print(torch.__version__, torch.backends.cpu.get_cpu_capability())'],
                       capture_output=True, text=True, env={**os.environ, **PINS}, check=True)
    return r.stdout.strip()


REFERENCE = '2161973'  # the commit whose code made identity.json


def run(out: Path, method: str, pythonpath: Path | None = None):
    extra = ['--amat-reference', str(out / 'std')] if method == 'amat' else []
    # -P: a `python -c` child would put its working directory first on sys.path, so from the repository root it imported
    # this tree's dpaat even under the docstring's PYTHONPATH=/tmp/before (it did, while remaking the fingerprints)
    cmd = [sys.executable, '-P', '-c', CHILD, 'train', '--method', method, '--out', str(out / method), *ARGS, *extra]
    env = {**os.environ, **PINS, **({'PYTHONPATH': str(pythonpath)} if pythonpath else {})}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr


def fingerprint(run_dir: Path) -> dict:
    # the last epoch's weights: model.pt holds the best epoch's, which at two epochs is often the first, where D-B and
    # dpaat-reuse still agree (dpaat-reuse reuses attacks from the second epoch on)
    rec = torch.load(run_dir / 'last.pt', map_location='cpu', weights_only=False)
    h = hashlib.sha256()
    for k in sorted(rec['model']): h.update(k.encode()); h.update(rec['model'][k].contiguous().numpy().tobytes())
    log = pd.read_csv(run_dir / 'log.csv')
    log = log[[c for c in log.columns if not c.startswith('sec_')]]
    return dict(weights=h.hexdigest(), log=json.loads(log.to_json(orient='columns')))


def fingerprints(out: Path, pythonpath: Path | None = None) -> dict:
    # each run computes on one thread (the pins), so the runs go side by side, one per core; AMAT needs STD's model first
    run(out, 'std', pythonpath)
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        list(pool.map(lambda m: run(out, m, pythonpath), METHODS[1:]))
    return dict(arithmetic=arithmetic(), runs={m: fingerprint(out / m) for m in METHODS})


def differences(a: dict, b: dict) -> list:
    "The methods whose logs or final weights differ between two sets of fingerprints, each with what differs first."
    out = []
    for m in METHODS:
        try: pd.testing.assert_frame_equal(pd.DataFrame(a['runs'][m]['log']), pd.DataFrame(b['runs'][m]['log']), check_exact=True, obj=m)
        except AssertionError as e: out.append(f"{m}: {str(e).strip().splitlines()[0]}"); continue
        if a['runs'][m]['weights'] != b['runs'][m]['weights']: out.append(f"{m}: final weights differ")
    return out


def reference_here(tmp: Path) -> dict | None:
    "The reference commit's code trained on this machine, from a git worktree of it; None where git or the commit is missing."
    root, wt = HERE.parent, tmp / 'reference-code'
    r = subprocess.run(['git', '-C', str(root), 'worktree', 'add', '--detach', str(wt), REFERENCE], capture_output=True, text=True)
    if r.returncode: return None
    try: return fingerprints(tmp / 'reference-runs', pythonpath=wt)
    finally: subprocess.run(['git', '-C', str(root), 'worktree', 'remove', '--force', str(wt)], capture_output=True)


def test_nine_methods_unchanged(tmp_path):
    ref, here = json.loads((HERE / 'identity.json').read_text()), arithmetic()
    if here != ref['arithmetic']:
        pytest.skip(f"the fingerprints were made with {ref['arithmetic']!r} (torch, CPU capability), this is {here!r}: "
                    "no bit-identical reference here (remake it with the command in this file's docstring)")
    now = fingerprints(tmp_path / 'now')
    stored = differences(ref, now)
    if not stored: return  # bit-identical to the stored reference
    here_ref = reference_here(tmp_path)
    assert here_ref is not None, f"differs from tests/identity.json ({stored}), and commit {REFERENCE} could not be checked out to tell a change from another machine"
    if not differences(ref, here_ref):
        raise AssertionError(f"the reference code reproduces tests/identity.json on this machine, the code under test does not: {stored}")
    assert not (d := differences(here_ref, now)), f"this machine computes differently from the stored reference, and here the code under test differs from the reference code: {d}"


if __name__ == '__main__':
    import tempfile
    assert sys.argv[1] == 'write', 'usage: python tests/test_identity.py write FILE'
    with tempfile.TemporaryDirectory() as d:
        Path(sys.argv[2]).write_text(json.dumps(fingerprints(Path(d)), indent=1) + '\n')
    print('wrote', sys.argv[2])
