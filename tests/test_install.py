"""The package as a user installs it: a wheel built from this tree, installed (not editable) into a fresh virtual
environment, reproduces from a folder outside the source tree.

Not a notebook because it builds and installs a package in subprocesses. The environment reuses this one's installed
dependencies (`--system-site-packages`, so torch is not downloaded again) but holds its own dpaat, and the test checks
that this copy is the one that runs: where `dpaat` is imported from, and where the paper notebooks come from.
"""
import json, os, subprocess, sys, tempfile, zipfile
from pathlib import Path
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp('install')
    from filelock import FileLock  # under pytest -n, each worker that runs a test of this file builds: one at a time (setuptools' build/ is shared)
    with FileLock(Path(tempfile.gettempdir()) / 'dpaat-wheel-build.lock'):
        r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', str(ROOT), '-w', str(d / 'wheel')],
                           capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    whl = next((d / 'wheel').glob('dpaat-*.whl'))
    subprocess.run([sys.executable, '-m', 'venv', '--system-site-packages', str(d / 'env')], check=True)
    bin_ = d / 'env' / 'bin'
    r = subprocess.run([str(bin_ / 'python'), '-m', 'pip', 'install', '--no-deps', '-q', str(whl)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return d, bin_, whl


def test_the_wheel_ships_the_paper_notebooks_profiles_and_manifests(env):
    _, _, whl = env
    names = set(zipfile.ZipFile(whl).namelist())
    paper = {p.name for p in (ROOT / 'nbs' / 'paper').glob('*.ipynb')}
    assert {f'dpaat/paper/{n}' for n in paper} <= names, paper - {n.split('/')[-1] for n in names}
    assert {f'dpaat/profiles/{p.name}' for p in (ROOT / 'dpaat' / 'profiles').glob('*.yaml')} <= names
    assert {f'dpaat/manifests/{p.name}' for p in (ROOT / 'dpaat' / 'manifests').glob('*.csv')} <= names  # the committed splits
    sample = [n for n in names if n.startswith('dpaat/sample/')]  # the embedded HAM10000 sample, with its licence
    assert 'dpaat/sample/README.md' in sample and sum(n.endswith('.jpg') for n in sample) == 480 and sum(n.endswith('_segmentation.png') for n in sample) == 480
    assert 'dpaat/__main__.py' in names and not any('_artifacts' in n or (n.endswith('.png') and not n.startswith('dpaat/sample/')) for n in names)


def test_the_installed_copy_is_the_one_that_runs(env):
    d, bin_, _ = env
    probe = "import json, dpaat; from dpaat.reproduce import notebooks_dir; print(json.dumps([dpaat.__file__, str(notebooks_dir())]))"
    r = subprocess.run([str(bin_ / 'python'), '-c', probe], capture_output=True, text=True, cwd=d)
    assert r.returncode == 0, r.stderr[-2000:]
    module, notebooks = map(Path, json.loads(r.stdout.strip().splitlines()[-1]))
    assert (d / 'env') in module.parents and notebooks == module.parent / 'paper', (module, notebooks)
    r = subprocess.run([str(bin_ / 'python'), '-m', 'dpaat', '--version'], capture_output=True, text=True, cwd=d)
    assert r.returncode == 0 and r.stdout.startswith('dpaat '), r.stderr


def test_the_installed_package_reproduces_outside_the_source_tree_with_no_data(env):
    d, bin_, _ = env  # no --data and no DPAAT_DATA: a fresh machine, where the embedded sample stands in
    env_vars = {**{k: v for k, v in os.environ.items() if k != 'DPAAT_DATA'}, 'PATH': f"{bin_}{os.pathsep}{os.environ['PATH']}"}  # the kernels papermill starts are this env's Python
    r = subprocess.run([str(bin_ / 'dpaat'), 'reproduce', '--profile', 'smoke', '--only', 'calibration', '--out', str(d / 'repro'),
                        '--quiet'], capture_output=True, text=True, cwd=d, env=env_vars)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert 'using the HAM10000 sample embedded in dpaat' in r.stderr, r.stderr[-2000:]
    s = pd.read_csv(d / 'repro' / 'summary.csv')
    assert set(s.status) == {'done'} and (s.kind == 'run').sum() == 1, s.to_string()
    assert (d / 'repro' / 'figures' / 'calibration.png').stat().st_size > 5000
    assert (d / 'repro' / 'tables' / 'calibration.csv').exists()
