"""Build the paper's lesion-grouped HAM10000 split manifest (the one committed in dpaat/manifests/ is seed 0).

Usage: python data_prep/make_manifest.py --data PATH [--seed 0] [--out dpaat/manifests/ham10000_paper_seed0.csv]
The same is available as `dpaat split`.
"""
import argparse
from pathlib import Path
from dpaat.data import read_ham_metadata, paper_split, find_data, manifest_path

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default=None, help='HAM10000 folder or data root (default: $DPAAT_DATA)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    split = paper_split(read_ham_metadata(find_data(a.data)), seed=a.seed)
    out = Path(a.out) if a.out else manifest_path(f'ham10000_paper_seed{a.seed}')
    split.to_csv(out, index=False)
    print(f"wrote {out}: {len(split)} images")
    print(split.groupby(['dx', 'split']).size().unstack().to_string())
