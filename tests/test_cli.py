"""The `dpaat` console command, run as a user runs it: a subprocess, its exit status and its output.

Not a notebook because it checks the installed entry point and process exit codes, which a notebook cell cannot see.
"""
import os, subprocess, sys
from pathlib import Path
import pandas as pd

DPAAT = str(Path(sys.executable).parent / 'dpaat')


def run(*args, **kw):
    return subprocess.run([DPAAT, *args], capture_output=True, text=True, **kw)


def test_check_data_on_real_copy():
    r = run('check-data', '--quiet', '--no-md5')
    assert r.returncode == 0, r.stderr
    assert '10015 metadata rows, 7470 lesions, 10015 image files' in r.stdout
    assert 'bkl=1099' in r.stdout and r.stdout.strip().endswith('OK')


def test_bad_data_path_is_a_clear_error(tmp_path):
    r = run('check-data', '--data', str(tmp_path / 'nowhere'))
    assert r.returncode == 2
    assert 'nowhere' in r.stderr and 'Traceback' not in r.stderr


def test_missing_data_argument_says_what_to_do():
    env = {k: v for k, v in os.environ.items() if k != 'DPAAT_DATA'}
    r = run('split', env=env)
    assert r.returncode == 2 and 'DPAAT_DATA' in r.stderr


def test_split_reproduces_the_committed_manifest(tmp_path):
    out = tmp_path / 'm.csv'
    r = run('split', '--seed', '0', '--out', str(out))
    assert r.returncode == 0, r.stderr
    from dpaat.data import manifest_path
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(manifest_path()))


def test_models_lists_the_paper_cnns():
    r = run('models')
    assert r.returncode == 0
    for name in ('resnet34', 'inception_v3', 'densenet121', 'mobilenet_v2', 'shufflenet_v2', 'squeezenet'):
        assert name in r.stdout
