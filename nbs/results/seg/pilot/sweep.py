"""Dice of a segmentation run under 20-step PGD-L2 and 10-step I-FGSM at several radii, on the validation split."""
import sys, torch, pandas as pd
from dpaat.evaluate import load_run, evaluate, pgd_attack, ifgsm_attack
run, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model, cfg, ds = load_run(run, split='val', max_per_class=int(sys.argv[3]) if len(sys.argv) > 3 else 30)
l2 = [float(v) for v in sys.argv[4].split(',')] if len(sys.argv) > 4 else (0.125, 0.25, 0.5, 1.0, 2.0)
li = [float(v) for v in sys.argv[5].split(',')] if len(sys.argv) > 5 else (1, 2, 4, 8)
attacks = [pgd_attack(e, 20) for e in l2] + [ifgsm_attack(e / 255, 10) for e in li]
r = evaluate(model, ds, attacks, batch_size=32, progress=False, task='segmentation')
m = r.metrics
m = m[m.metric.isin(['dice', 'iou', 'acc'])]
m.to_csv(out, index=False)
print(m.pivot_table(index=['attack', 'norm', 'eps'], columns='metric', values='value').round(3).to_string())
