"""`dpaat reproduce --profile smoke` end to end, as a user runs it: every training run and every table and figure notebook.

Not a notebook because it drives the batch command in a subprocess (which itself runs notebooks through papermill) and
checks what a user sees: the exit status, the files left behind, the summary, and the message when a notebook fails.
"""
import json, shutil, subprocess, sys
from pathlib import Path
import nbformat
import pandas as pd
import pytest
from dpaat.reproduce import task_artifacts
from dpaat.files import PROGRESS_FILE

ROOT = Path(__file__).resolve().parents[1]
DPAAT = str(Path(sys.executable).parent / 'dpaat')


def reproduce(out, *args):
    return subprocess.run([DPAAT, 'reproduce', '--profile', 'smoke', '--out', str(out), '--quiet', *args], capture_output=True, text=True)


@pytest.fixture(scope='module')
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp('smoke')
    return out, reproduce(out, '--jobs', '2')


def test_smoke_profile_makes_every_table_and_figure(smoke):
    out, r = smoke
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    s = pd.read_csv(out / 'summary.csv')
    assert set(s.status) == {'done'}, s[s.status != 'done'].to_string()
    assert sorted(s[s.kind == 'run'].name) == sorted([f'small_cnn {m} seed 0' for m in ('std', 'at', 'sat', 'amat', 'ima', 'dpaat', 'dpaat-a', 'dpaat-b', 'dpaat-reuse', 'trades', 'mart')]
                                                     + ['small_cnn dpaat [beta-2] seed 0'])  # the grid and the profile's one variant
    ARTIFACTS = task_artifacts('classification')  # every notebook but the segmentation task's own
    assert s[s.kind == 'artifact'].name.tolist() == ARTIFACTS and 'segmentation' not in ARTIFACTS
    # quiet: no kernel transport warning per notebook, no tqdm widget warning inside the executed notebooks
    assert 'Kernel is running over TCP' not in r.stderr and 'WARNING' not in r.stderr, r.stderr[-2000:]
    for nb in [*(out / 'runs').glob('*/run.ipynb'), *out.glob('*.ipynb')]:
        assert 'TqdmWarning' not in nb.read_text(), nb
    for a in ARTIFACTS:  # each executed notebook is kept beside the results, with outputs
        nb = nbformat.read(out / f'{a}.ipynb', 4)
        assert any(c.get('outputs') for c in nb.cells if c.cell_type == 'code'), a
    tables = {p.stem for p in (out / 'tables').glob('*.csv')}
    assert {'calibration', 'table1', 'table1_vs_paper', 'table2', 'table2_vs_paper', 'fig2_confusion', 'fig3_ablation',
            'eps_distribution', 'claims', 'fig4_gradcam_scores', 'fig4_gradcam_paired', 'masking', 'questions'} <= tables, tables
    figures = {p.stem for p in (out / 'figures').glob('*.png')}
    assert {'calibration', 'table1_gacc_vs_racc', 'fig2_confusion_small_cnn', 'fig3_ablation', 'fig4_gradcam_small_cnn',
            'eps_distribution', 'fig4_gradcam_scores', 'questions', 'learning_curves'} <= figures, figures
    assert all(p.stat().st_size > 5000 for p in (out / 'figures').glob('*.png'))
    from matplotlib.image import imread
    for p in (out / 'figures').glob('*.png'):  # rendered, and not blank: a real share of the pixels is not background
        px = imread(p)[..., :3]
        assert px.shape[0] > 200 and px.shape[1] > 200 and (px.std(-1) + (1 - px.mean(-1)) > 0.05).mean() > 0.02, p.name
    assert not list((out / 'runs').glob(f'*/{PROGRESS_FILE}'))  # a finished run leaves no progress file


def test_run_folders_hold_tidy_rows_named_by_their_hash(smoke):
    out, _ = smoke
    runs = sorted((out / 'runs').iterdir())
    assert len(runs) == 12
    for run in runs:
        p = json.loads((run / 'params.json').read_text())
        assert p['run_id'] == run.name and (run / 'done.json').exists() and (run / 'run.ipynb').exists()
        m = pd.read_csv(run / 'metrics.csv')
        assert list(m.columns[:5]) == ['run_id', 'profile', 'model', 'method', 'seed']
        assert {'attack', 'norm', 'eps', 'steps', 'metric', 'value', 'n'} <= set(m.columns)
        assert set(m.attack) == {'clean', 'FGSM', '10-IFGSM', '20-IFGSM', '20-PGD', '50-PGD', 'AA3'}
        assert (m.run_id == run.name).all() and (m.method == p['method']).all()
        assert set(m[m.attack == 'AA3'].n) == {12} and set(m[m.attack != 'AA3'].n) == {60}  # AA3 on the first 4 images of each class
        # per-image outcomes: one row per test image, the predicted class under every attack; every accuracy is their mean
        pr = pd.read_csv(run / 'predictions.csv')
        assert len(pr) == 60 and pr.image_id.is_unique and pr['AA3'].notna().sum() == 12
        acc = m[m.metric == 'acc'].set_index('attack').value
        for a in acc.index: assert (pr[a] == pr.label)[pr[a].notna()].mean() == pytest.approx(acc[a])
    # the claims carry their interval and a verdict; smoke-sized evidence (one seed, 60 images, degenerate models) gets none
    cl = pd.read_csv(out / 'tables' / 'claims.csv')
    assert {'ci_low', 'ci_high', 'mde', 'seeds', 'images', 'verdict'} <= set(cl.columns)
    assert set(cl.verdict) <= {'insufficient evidence', 'degenerate model', 'not run'}, cl.verdict.value_counts()
    # Table I is the mean of the runs' rows: with one model and one seed, each cell is that run's accuracy in %
    t1 = pd.read_csv(out / 'tables' / 'table1.csv').set_index(['group', 'method'])
    m = pd.concat(pd.read_csv(r / 'metrics.csv') for r in runs)
    acc = m[m.metric == 'acc'].set_index(['method', 'attack']).value
    assert t1.loc[('all', 'dpaat'), '20-PGD'] == pytest.approx(100 * acc[('dpaat', '20-PGD')], abs=0.01)
    assert t1.loc[('lightweight', 'std'), 'GAcc'] == pytest.approx(100 * acc[('std', 'clean')], abs=0.01)


def test_a_second_call_skips_finished_runs_and_an_interrupted_one_goes_on(smoke):
    out, _ = smoke
    ima = next(r for r in (out / 'runs').iterdir() if json.loads((r / 'params.json').read_text())['method'] == 'ima')
    log = (ima / 'log.csv').read_text()
    (ima / 'done.json').unlink()  # as if killed after training, before the end of the notebook
    r = reproduce(out, '--only', 'table1_robustness')
    assert r.returncode == 0, r.stderr[-3000:]
    s = pd.read_csv(out / 'summary.csv')
    runs = s[s.kind == 'run'].set_index('run_id').status
    assert runs[ima.name] == 'done' and (runs.drop(ima.name) == 'skipped').all()
    assert s[s.kind == 'artifact'].name.tolist() == ['table1_robustness']
    assert (ima / 'log.csv').read_text() == log  # training was finished: resuming it trained nothing more
    # summary.csv is this call's; summary_history.csv keeps every call's, so the first call's training times are not lost
    h = pd.read_csv(out / 'summary_history.csv')
    assert h.call.nunique() >= 2 and set(h.profile) == {'smoke'}
    first = h[(h.call == h.call.min()) & (h.kind == 'run')]
    assert len(first) == 12 and (first.status == 'done').all() and (first.seconds > 0).all()


def test_a_failing_notebook_is_named_with_its_cell(smoke, tmp_path):
    out, _ = smoke
    nbs = tmp_path / 'paper'
    shutil.copytree(ROOT / 'nbs' / 'paper', nbs)
    nb = nbformat.read(nbs / 'fig3_ablation.ipynb', 4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('broken on purpose')"))
    nbformat.write(nb, nbs / 'fig3_ablation.ipynb')
    r = reproduce(out, '--only', 'fig3_ablation,table2_precision', '--notebooks', str(nbs))
    assert r.returncode == 1
    assert 'fig3_ablation.ipynb' in r.stderr and 'cell' in r.stderr and "RuntimeError: broken on purpose" in r.stderr, r.stderr
    s = pd.read_csv(out / 'summary.csv').set_index('name')
    assert s.loc['fig3_ablation', 'status'] == 'failed' and s.loc['table2_precision', 'status'] == 'done'


def test_user_errors_exit_2_with_the_reason(tmp_path):
    r = reproduce(tmp_path, '--only', 'table9')
    assert r.returncode == 2 and "unknown artifacts ['table9']" in r.stderr and 'Traceback' not in r.stderr
    bad = tmp_path / 'bad.yaml'
    bad.write_text((ROOT / 'dpaat' / 'profiles' / 'smoke.yaml').read_text().replace('eps: 0.5', 'eps: -1'))
    r = subprocess.run([DPAAT, 'reproduce', '--profile', str(bad), '--out', str(tmp_path / 'o')], capture_output=True, text=True)
    assert r.returncode == 2 and 'bad.yaml' in r.stderr and 'eps must be a finite number' in r.stderr, r.stderr
    r = subprocess.run([DPAAT, 'reproduce', '--profile', 'smoke', '--out', str(tmp_path / 'o'), '--dry-run'], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.count('False') == 12  # the grid's eleven methods and the variant, none finished
    other = tmp_path / 'smoke_folder'; other.mkdir()
    shutil.copy(ROOT / 'dpaat' / 'profiles' / 'smoke.yaml', other / 'profile.yaml')
    r = subprocess.run([DPAAT, 'reproduce', '--profile', 'cpu', '--out', str(other), '--dry-run'], capture_output=True, text=True)
    assert r.returncode == 2 and "holds a reproduction of profile 'smoke'" in r.stderr and 'Traceback' not in r.stderr  # as the real call


def test_gradcam_maps_are_scored_against_the_lesion_masks(smoke):
    out, _ = smoke
    params = {r: json.loads((r / 'params.json').read_text()) for r in (out / 'runs').iterdir()}
    runs = {p['method']: r for r, p in params.items() if p.get('variant') is None}  # the grid's runs (the variant has no maps)
    scored = {m for m, r in runs.items() if (r / 'gradcam_scores.csv').exists()}
    assert scored == {'std', 'at', 'sat', 'amat', 'ima', 'dpaat'}  # the profile's gradcam methods, no others
    sc = pd.read_csv(runs['dpaat'] / 'gradcam_scores.csv')
    assert len(sc) == 60 and sc.image_id.is_unique  # 20 test images per class, as evaluated
    assert sc[['energy', 'pointing', 'iou']].stack().between(0, 1).all() and (sc.energy_chance == sc.area).all()
    claims = pd.read_csv(out / 'tables' / 'claims.csv')
    assert claims.claim.str.contains('Grad-CAM').sum() == 6  # vs STD and AT, on three scores
    paired = pd.read_csv(out / 'tables' / 'fig4_gradcam_paired.csv')
    assert set(paired.other) == {'std', 'at', 'sat', 'amat', 'ima'} and set(paired.score) == {'energy', 'pointing', 'iou'}


def test_runs_finished_before_scoring_get_scored_on_the_next_call(smoke):
    out, _ = smoke
    run = next(r for r in (out / 'runs').iterdir() if json.loads((r / 'params.json').read_text())['method'] == 'at')
    before = pd.read_csv(run / 'gradcam_scores.csv')
    (run / 'gradcam_scores.csv').unlink()
    r = reproduce(out, '--only', 'fig4_gradcam')
    assert r.returncode == 0, r.stderr[-3000:]
    s = pd.read_csv(out / 'summary.csv')
    assert s[s.kind == 'scores'].run_id.tolist() == [run.name] and (s[s.kind == 'scores'].status == 'done').all()
    pd.testing.assert_frame_equal(pd.read_csv(run / 'gradcam_scores.csv'), before)  # deterministic
