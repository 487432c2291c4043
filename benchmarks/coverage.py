"""Coverage of the claims' 95 % interval (`dpaat.results.crossed_t`) beside the crossed bootstrap it replaced, on made-up
studies shaped like the cpu2 study (`dpaat.results.simulate_differences`): run-level shifts τ = 0-3 points, 3 and 5
seeds, one model and two. Prints the table and writes nbs/results/coverage.csv (08_results shows it).

    python benchmarks/coverage.py [--studies 2000] [--bootstrap-studies 300]
"""
import argparse, time
from pathlib import Path
import pandas as pd
from dpaat.results import coverage

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--studies', type=int, default=2000)
p.add_argument('--bootstrap-studies', type=int, default=300)
p.add_argument('--out', default=str(Path(__file__).parent.parent / 'nbs' / 'results' / 'coverage.csv'))
a = p.parse_args()
t0, rows = time.perf_counter(), []
for i, (tau, seeds, models) in enumerate((t, s, m) for t in (0, 1, 2, 3) for s in (3, 5) for m in (1, 2)):
    rows.append(coverage(tau, seeds, models, a.studies, a.bootstrap_studies, seed=i))
    print(pd.DataFrame(rows[-1:]).round(3).to_string(index=False, header=i == 0), flush=True)
df = pd.DataFrame(rows)
df.to_csv(a.out, index=False, float_format='%.4f')
print(f"\nlowest crossed_t coverage {df.crossed_t.min():.3f}; {time.perf_counter() - t0:.0f} s; wrote {a.out}")
