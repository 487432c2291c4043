"""`dpaat reproduce --profile seg-smoke` end to end: STD, SAT, AMAT, IMA and DPAAT train a U-Net on HAM10000's lesion masks,
is evaluated on the segmentation suite with the strong column, and the segmentation page makes its tables and figures.

Not a notebook for the same reason as test_reproduce.py: it drives the batch command in a subprocess and checks what a user
sees. One test, so that pytest-xdist runs the whole reproduction on one worker.
"""
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DPAAT = str(Path(sys.executable).parent / 'dpaat')
METHODS = ['std', 'sat', 'amat', 'ima', 'dpaat']
ATTACKS = ['clean', 'FGSM', '10-IFGSM', '20-PGD', '50-PGD', '20-SegPGD', '20-CosPGD', 'SEA6']


def test_seg_smoke_trains_evaluates_and_draws_every_method(tmp_path):
    out = tmp_path / 'seg'
    r = subprocess.run([DPAAT, 'reproduce', '--profile', 'seg-smoke', '--out', str(out), '--quiet', '--jobs', '2'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    s = pd.read_csv(out / 'summary.csv')
    assert set(s.status) == {'done'}, s[s.status != 'done'].to_string()
    assert sorted(s[s.kind == 'run'].name) == sorted(f'unet_small {m} seed 0' for m in METHODS)
    assert s[s.kind == 'artifact'].name.tolist() == ['calibration', 'segmentation']  # the task's pages and the generic one, not the classification tables
    for run in (out / 'runs').iterdir():
        method = json.loads((run / 'params.json').read_text())['method']
        cfg = json.loads((run / 'config.json').read_text())
        assert cfg['task'] == 'segmentation' and cfg['model'] == 'unet_small', run
        log = pd.read_csv(run / 'log.csv')
        assert len(log) == 2 and log.train_loss.notna().all() and (log.nonfinite == 0).all(), method
        assert log.val_dice.between(0, 1).all(), method  # the task's learning-curve score (Task.quality)
        m = pd.read_csv(run / 'metrics.csv')
        for metric in ('dice', 'iou', 'jaccard_t', 'hd95', 'acc'):
            assert list(m[m.metric == metric].attack) == ATTACKS, (method, metric)
        assert m[m.metric.isin(['dice', 'iou'])].value.between(0, 1).all()
        p = pd.read_csv(run / 'predictions.csv')
        assert list(p.columns) == ['image_id', *ATTACKS] and len(p) == 7 and p['SEA6'].notna().all(), method
        assert (p['SEA6'].dropna() <= p.loc[p['SEA6'].notna(), 'clean'] + 1e-9).all()  # never better than clean
        cal = pd.read_csv(run / 'calibration.csv')
        assert sorted(cal[cal.metric == 'dice'].eps) == [0.0, 0.5, 1.0, 2.0], method  # clean, then Dice against ε for every method
        f = np.load(run / 'overlays.npz', allow_pickle=False)
        assert f['images'].shape == (4, 32, 32, 3) and f['masks'].shape == (4, 32, 32), method
    tables = {p.stem for p in (out / 'tables').glob('*.csv')}
    assert {'calibration', 'seg_robustness', 'seg_dice_vs_eps', 'seg_masking'} <= tables, tables
    assert {'calibration', 'learning_curves'} <= {p.stem for p in (out / 'figures').glob('*.png')}  # the generic page, on the Dice
    t = pd.read_csv(out / 'tables' / 'seg_masking.csv')
    assert sorted(t.method) == sorted(METHODS) and (t.images == 7).all()
    from matplotlib.image import imread
    for name in ('seg_dice_vs_eps', 'seg_overlays'):  # rendered, and not blank
        px = imread(out / 'figures' / f'{name}.png')[..., :3]
        assert px.shape[0] > 200 and px.shape[1] > 200 and (px.std(-1) + (1 - px.mean(-1)) > 0.05).mean() > 0.02, name
