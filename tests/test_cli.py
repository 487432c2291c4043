"""The `dpaat` console command, run as a user runs it: a subprocess, its exit status and its output.

Not a notebook because it checks the installed entry point and process exit codes, which a notebook cell cannot see.
"""
import json, os, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

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


def test_with_no_data_the_embedded_sample_answers_what_it_holds_and_refuses_the_rest(tmp_path):
    """No --data, no DPAAT_DATA: a small call trains on the sample (said in one line); a call for a whole split, a profile
    that reads more than the sample, and DermaMNIST each get one line that asks for the data, exit code 2."""
    env = {k: v for k, v in os.environ.items() if k != 'DPAAT_DATA'}
    r = run('train', '--method', 'std', '--epochs', '1', '--out', str(tmp_path / 'std'), *SMALL, env=env)
    assert r.returncode == 0, r.stderr
    assert 'using the HAM10000 sample embedded in dpaat' in r.stderr and (tmp_path / 'std' / 'model.pt').exists()
    for args, said in ((['train', '--method', 'std', '--epochs', '1', '--out', str(tmp_path / 'all'), *TINY], 'ask for 40 a class or fewer'),
                       (['reproduce', '--profile', 'cpu2', '--out', str(tmp_path / 'cpu2')], "profile 'cpu2' reads more than the HAM10000 sample"),
                       (['train', '--dataset', 'dermamnist', '--epochs', '1', '--out', str(tmp_path / 'dm'), *SMALL], 'No data folder given')):
        r = run(*args, env=env)
        assert r.returncode == 2 and said in r.stderr and 'Traceback' not in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) <= 2, r.stderr  # the sample's notice, then the error
    assert not (tmp_path / 'cpu2').exists() and not (tmp_path / 'all').exists()  # a refused call leaves no folder


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


TINY = ['--model', 'small_cnn', '--image-size', '24', '--eps', '0.5', '--lr', '3e-3', '--patience', 'none', '--quiet']
SMALL = TINY + ['--max-per-class', '12']


def test_train_then_evaluate_from_the_command_line(tmp_path):
    """`dpaat train` for std, then AMAT with ξ from that std run, then `dpaat evaluate` on the Table I suite."""
    r = run('train', '--method', 'std', '--epochs', '2', '--out', str(tmp_path / 'std'), *SMALL)
    assert r.returncode == 0, r.stderr
    assert 'best epoch' in r.stdout and (tmp_path / 'std' / 'model.pt').exists()
    r = run('train', '--method', 'amat', '--epochs', '2', '--amat-reference', str(tmp_path / 'std'),
            '--out', str(tmp_path / 'amat'), *SMALL)
    assert r.returncode == 0, r.stderr
    log = pd.read_csv(tmp_path / 'amat' / 'log.csv')
    assert len(log) == 2 and log.xi.notna().all() and (log.xi > 0).all() and 'xi = ' in r.stdout
    r = run('evaluate', '--checkpoint', str(tmp_path / 'amat'), '--max-per-class', '10', '--eps-linf', '4/255', '--quiet')
    assert r.returncode == 0, r.stderr
    m = pd.read_csv(tmp_path / 'amat' / 'metrics.csv')
    assert list(m.attack.unique()) == ['clean', 'FGSM', '10-IFGSM', '20-IFGSM', '20-PGD', '50-PGD']
    pgd50 = m[(m.attack == '50-PGD') & (m.metric == 'acc')].iloc[0]
    assert (pgd50.method, pgd50.norm, pgd50.eps, pgd50.steps, pgd50.n) == ('amat', 'l2', 0.5, 50, 30)
    assert abs(m[m.attack == 'FGSM'].eps.iloc[0] - 4 / 255) < 1e-12
    c = pd.read_csv(tmp_path / 'amat' / 'confusion.csv')
    assert (c.groupby('attack')['count'].sum() == 30).all()


def test_train_and_evaluate_on_dermamnist(tmp_path):
    """`--dataset dermamnist`: MedMNIST's seven classes and split at 28 px, read from the JPEG folder of the data root."""
    out = tmp_path / 'dm'
    r = run('train', '--dataset', 'dermamnist', '--method', 'dpaat', '--epochs', '1', '--out', str(out), '--model', 'small_cnn',
            '--image-size', '28', '--max-per-class', '10', '--patience', 'none', '--quiet')
    assert r.returncode == 0, r.stderr
    assert json.loads((out / 'config.json').read_text())['dataset'] == 'dermamnist'
    r = run('evaluate', '--checkpoint', str(out), '--max-per-class', '3', '--quiet')  # no L∞ radius for DermaMNIST: HAM10000's is not silently used
    assert r.returncode == 2 and 'this dermamnist run records no linf radius for its evaluation: give eps_linf (--eps-linf)' in r.stderr, r.stderr
    r = run('evaluate', '--checkpoint', str(out), '--max-per-class', '3', '--eps-linf', '1/255', '--quiet')  # the run's data set, read from the run
    assert r.returncode == 0, r.stderr
    c = pd.read_csv(out / 'confusion.csv')
    assert set(c.true) == {'akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'} and (c.groupby('attack')['count'].sum() == 21).all()
    m = pd.read_csv(out / 'metrics.csv')
    assert set(m[m.norm == 'linf'].eps.round(6)) == {round(1 / 255, 6)} and set(m[m.norm == 'l2'].eps) == {0.3}


def test_folder_and_medmnist_data_sets_from_the_command_line(tmp_path):
    """`--dataset folder` on an ImageFolder tree of real HAM10000 images, `--dataset medmnist:dermamnist` on MedMNIST's `.npz`
    layout written from the real DermaMNIST images; the evaluation radius recorded at training is the one `evaluate` uses."""
    import numpy as np
    from dpaat.cli import main  # in this process, as below: the same parsing and code path as the console script
    from dpaat.data import load_manifest, index_images, ham_folder, load_rgb
    data = Path(os.environ['DPAAT_DATA'])
    where, man = index_images(ham_folder(data)), load_manifest()
    for _, r in man.groupby(['split', 'dx']).head(6).iterrows():
        (tmp_path / 'tree' / r.split / r.dx).mkdir(parents=True, exist_ok=True)
        (tmp_path / 'tree' / r.split / r.dx / f'{r.image_id}.jpg').write_bytes(where[r.image_id].read_bytes())
    out = tmp_path / 'fold'
    assert main(['train', '--dataset', 'folder', '--data', str(tmp_path / 'tree'), '--method', 'at', '--epochs', '1', '--out', str(out),
                 '--model', 'small_cnn', '--image-size', '32', '--patience', 'none', '--eval-eps-linf', '1/255', '--quiet']) == 0
    assert main(['evaluate', '--checkpoint', str(out), '--quiet']) == 0
    m = pd.read_csv(out / 'metrics.csv')
    assert (m.n == 18).all() and set(m[m.norm == 'linf'].eps.round(6)) == {round(1 / 255, 6)}
    assert set(pd.read_csv(out / 'confusion.csv').true) == {'bkl', 'mel', 'nv'}
    jpg, labels = data / 'dermamnist_jpg_28', pd.read_csv(next((data / 'dermamnist_jpg_28').glob('*.csv')), dtype=str)
    codes, arrays = sorted(labels.dx.unique()), {}
    for s in ('train', 'val', 'test'):
        rows = labels[labels.image_id.str.startswith(f'DermaMNIST_{s}_')].sort_values('image_id')
        arrays[f'{s}_images'] = np.stack([np.asarray(load_rgb(jpg / f'{i}.jpg')) for i in rows.image_id])
        arrays[f'{s}_labels'] = rows.dx.map(codes.index).to_numpy()[:, None]
    (tmp_path / 'mm').mkdir(); np.savez(tmp_path / 'mm' / 'dermamnist.npz', **arrays)
    out = tmp_path / 'mmrun'
    assert main(['train', '--dataset', 'medmnist:dermamnist', '--data', str(tmp_path / 'mm'), '--method', 'std', '--epochs', '1',
                 '--out', str(out), '--model', 'small_cnn', '--image-size', '28', '--max-per-class', '10', '--patience', 'none', '--quiet']) == 0
    assert json.loads((out / 'config.json').read_text())['dataset'] == 'medmnist:dermamnist'
    assert main(['evaluate', '--checkpoint', str(out), '--max-per-class', '2', '--eps-linf', '1/255', '--quiet']) == 0
    assert len(set(pd.read_csv(out / 'confusion.csv').true)) == 7


def test_train_refuses_to_overwrite_and_bad_values(tmp_path):
    out = str(tmp_path / 'run')
    assert run('train', '--method', 'std', '--epochs', '1', '--out', out, *SMALL).returncode == 0
    r = run('train', '--method', 'std', '--epochs', '1', '--out', out, *SMALL)
    assert r.returncode == 2 and '--resume' in r.stderr and 'Traceback' not in r.stderr
    r = run('train', '--method', 'std', '--model', 'small_cnn', '--image-size', '8', '--out', str(tmp_path / 'b'), '--quiet')
    assert r.returncode == 2 and 'small_cnn needs image_size ≥ 16' in r.stderr
    r = run('train', '--method', 'amat', '--out', str(tmp_path / 'c'), *SMALL)
    assert r.returncode == 2 and 'AMAT needs its threshold' in r.stderr
    r = run('evaluate', '--checkpoint', str(tmp_path / 'nothing'))
    assert r.returncode == 2 and 'No trained model' in r.stderr


@pytest.mark.parametrize('method', ['std', 'at', 'sat', 'amat', 'ima', 'dpaat', 'dpaat-a', 'dpaat-b', 'dpaat-reuse', 'trades', 'mart'])
def test_every_method_trains_and_evaluates_from_the_command_line(tmp_path, method):
    """Through `dpaat.cli.main` in this process (the same argument parsing and code path as the console script, which the
    tests above run as a subprocess), to spare eight interpreter start-ups."""
    from dpaat.cli import main
    # AMAT needs its threshold; DPAAT also goes through the speed options' flags
    extra = {'amat': ['--amat-xi', '1.0'], 'dpaat': ['--channels-last', '--precision', 'bf16']}.get(method, [])
    assert main(['train', '--method', method, '--epochs', '1', '--out', str(tmp_path), *TINY, '--max-per-class', '8', *extra]) == 0
    log = pd.read_csv(tmp_path / 'log.csv')
    assert len(log) == 1 and log.train_loss.notna().all() and (log.nonfinite == 0).all()
    assert log.eps_mean.isna().all() if method == 'std' else (log.eps_max <= 1.0 + 1e-6).all()
    assert main(['evaluate', '--checkpoint', str(tmp_path), '--max-per-class', '5', '--quiet']) == 0
    m = pd.read_csv(tmp_path / 'metrics.csv')
    assert (m.method == method).all() and m[m.metric == 'acc'].value.between(0, 1).all() and len(m.attack.unique()) == 6


SEG = ['--task', 'segmentation', '--model', 'unet_small', '--dataset', 'ham10000-7', '--image-size', '32', '--eps', '0.5', '--steps', '2',
       '--lr', '3e-3', '--patience', 'none', '--monitor', 'last', '--quiet', '--max-per-class', '3']


def test_segmentation_from_the_command_line(tmp_path):
    """A STD U-Net on HAM10000's masks, AMAT with ξ from it, and `dpaat evaluate`: Dice and IoU rows for every attack of the
    segmentation suite, each image's Dice per attack."""
    r = run('train', '--method', 'std', '--epochs', '1', '--out', str(tmp_path / 'std'), *SEG)
    assert r.returncode == 0, r.stderr
    r = run('train', '--method', 'amat', '--epochs', '1', '--amat-reference', str(tmp_path / 'std'), '--out', str(tmp_path / 'amat'), *SEG)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / 'amat' / 'config.json').read_text())['task'] == 'segmentation'
    r = run('evaluate', '--checkpoint', str(tmp_path / 'amat'), '--max-per-class', '2', '--eps-linf', '4/255', '--quiet')
    assert r.returncode == 0, r.stderr
    m = pd.read_csv(tmp_path / 'amat' / 'metrics.csv')
    attacks = ['clean', 'FGSM', '10-IFGSM', '20-PGD', '50-PGD', '20-SegPGD', '20-CosPGD']
    assert list(m.attack.unique()) == attacks
    for metric in ('dice', 'iou', 'jaccard_t', 'hd95', 'acc'):
        rows = m[m.metric == metric]
        assert list(rows.attack) == attacks, metric
    assert m[m.metric.isin(['dice', 'iou'])].value.between(0, 1).all() and (m.n == 14).all()
    p = pd.read_csv(tmp_path / 'amat' / 'predictions.csv')
    assert list(p.columns) == ['image_id', *attacks] and len(p) == 14
    assert not (tmp_path / 'amat' / 'probabilities.csv').exists()


def test_bench_times_segmentation(tmp_path):
    r = run('bench', '--out', str(tmp_path), '--task', 'segmentation', '--models', 'unet_small', '--methods', 'sat', 'dpaat',
            '--dataset', 'ham10000-7', '--n-per-class', '2', '--epochs', '1', '--image-size', '32', '--options', 'none', '--quiet')
    assert r.returncode == 0, r.stderr
    b = pd.read_csv(tmp_path / 'bench.csv')
    assert list(b.method) == ['sat', 'dpaat'] and b.ratio_to_sat.iloc[0] == 1.0 and (b.model == 'unet_small').all()


def test_bench_writes_its_table(tmp_path):
    """`dpaat bench` at a toy size, on DermaMNIST through the data seam (the notebook times HAM10000): the CSV has the columns
    the speed issue asks for, SAT is the reference."""
    r = run('bench', '--out', str(tmp_path), '--models', 'small_cnn', '--methods', 'sat', 'dpaat', 'dpaat-reuse', '--dataset', 'dermamnist',
            '--n-per-class', '4', '--epochs', '1', '--image-size', '28', '--options', 'channels_last', '--quiet')
    assert r.returncode == 0, r.stderr
    b, ops = pd.read_csv(tmp_path / 'bench.csv'), pd.read_csv(tmp_path / 'bench_ops.csv')
    assert {'model', 'method', 'sec_per_epoch', 'ratio_to_sat'} <= set(b.columns)
    assert list(b.method) == ['sat', 'dpaat', 'dpaat-reuse'] and b.ratio_to_sat.iloc[0] == 1.0
    assert (b.sec_per_epoch > 0).all() and ops.pgd_ratio.iloc[0] > 0
    assert 'ratio_to_sat' in r.stdout
    sp = pd.read_csv(tmp_path / 'bench_speed.csv')
    assert list(sp.option) == ['fp32', 'channels_last'] and sp.speedup.iloc[0] == 1.0 and (sp.sec_per_batch > 0).all()
