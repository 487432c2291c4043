"""Runs every notebook in nbs/ as one test case each.

Not a notebook because it is the runner: the notebooks are the tests (their lesson cells assert), and this file only gives
pytest one case per notebook, so that `pytest` is the project's single test command and reports which notebook failed.
Each notebook runs in its own `nbdev-test` process, exactly as `nbdev-test` would run it; cells flagged `#| slow` run with --slow.
Under `pytest -n 2` the notebooks share the workers, except the paper's (they write into one scratch folder, nbs/paper/_artifacts),
which one worker runs one after another (`conftest.work_unit`).
"""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
# nbs/paper/run.ipynb is the unit of compute of a reproduction: tests/test_reproduce.py and test_reproduce_seg.py execute it for
# every run of the smoke profiles (17 times, with the parameters a reproduction gives it), so it is not run a further time here.
EXECUTED_BY_REPRODUCTIONS = {'paper/run.ipynb'}
NBS = sorted(p for p in (ROOT / 'nbs').rglob('*.ipynb')
             if not any(part.startswith(('_', '.')) for part in p.relative_to(ROOT / 'nbs').parts)
             and p.relative_to(ROOT / 'nbs').as_posix() not in EXECUTED_BY_REPRODUCTIONS)


@pytest.mark.parametrize('nb', NBS, ids=[str(p.relative_to(ROOT / 'nbs')) for p in NBS])
def test_notebook(nb, request):
    cmd = [str(Path(sys.executable).parent / 'nbdev-test'), str(nb)]
    if request.config.getoption('--slow'): cmd += ['--flags', 'slow']
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    assert r.returncode == 0, f'{nb.name} failed:\n{r.stdout[-4000:]}\n{r.stderr[-12000:]}'
