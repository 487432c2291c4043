"""Time the README's commands on this machine, as a new user runs them: in an empty folder, with no `--data` and no
`DPAAT_DATA` (so on the HAM10000 sample embedded in the package), one after another in the README's order, and print the
table the README quotes, with the machine and its load. A benchmark that prints numbers, not a test.

Every `dpaat ...` line of the README's shell blocks is run, except those that need the full data (`--data`), list without
running (`--dry-run`) or belong to a profile the sample does not hold; `pip` and `pytest` lines are not timed.

Run: python benchmarks/readme_times.py [--readme README.md] [--keep DIR] [--csv FILE]"""
import argparse, os, platform, re, shlex, subprocess, sys, tempfile, time
from pathlib import Path
from dpaat.reproduce import sample_holds

ROOT = Path(__file__).resolve().parents[1]

def commands(readme:Path) -> list:
    "The `dpaat` command lines of the README's shell blocks, continuation lines joined, comments dropped, in order."
    out = []
    for block in re.findall(r"```sh\n(.*?)```", readme.read_text(), re.S):
        for line in re.sub(r"\\\n\s*", ' ', block).splitlines():
            cmd = line.split('#', 1)[0].strip()
            if cmd.startswith('dpaat '): out.append(cmd)
    return out

def timed(cmd:str) -> bool:
    "Whether a README command runs on the sample: no full data named, not a listing, not a profile the sample does not hold."
    a = shlex.split(cmd)
    prof = a[a.index('--profile') + 1] if '--profile' in a else 'smoke'
    return '--data' not in a and '--dry-run' not in a and (a[1] != 'reproduce' or sample_holds(prof))

def cpu_name() -> str:
    try: return next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--readme', default=str(ROOT / 'README.md'))
    ap.add_argument('--keep', default=None, help='run in this folder and keep what the commands write (default: a temporary one)')
    ap.add_argument('--csv', default=None, help='also write the table to this CSV (command, seconds, exit, cores, load at the start)')
    a = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != 'DPAAT_DATA'}
    work = Path(a.keep or tempfile.mkdtemp(prefix='dpaat-readme-')); work.mkdir(parents=True, exist_ok=True)
    load0 = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores ({cpu_name()}), Python {platform.python_version()}, "
          f"load average {load0[0]:.1f} / {load0[1]:.1f} / {load0[2]:.1f} at the start; in {work}")
    print('\n| command | seconds | exit |\n|---|---:|---:|')
    failed, rows = 0, []
    for cmd in commands(Path(a.readme)):
        if not timed(cmd): continue
        t0 = time.perf_counter()
        r = subprocess.run(cmd, shell=True, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t0
        failed += r.returncode != 0
        print(f"| `{cmd}` | {dt:.0f} | {r.returncode} |", flush=True)
        rows.append(dict(command=cmd, seconds=round(dt, 1), exit=r.returncode, cores=os.cpu_count(), load=round(load0[0], 2)))
        if r.returncode: print('  ' + r.stderr.strip().splitlines()[-1][:300] if r.stderr.strip() else '', file=sys.stderr)
    load1 = os.getloadavg()
    print(f"\nload average {load1[0]:.1f} / {load1[1]:.1f} / {load1[2]:.1f} at the end")
    if a.csv:
        import pandas as pd
        from dpaat.files import atomic_write_csv  # the project's CSV writer
        atomic_write_csv(pd.DataFrame(rows), a.csv)
    sys.exit(1 if failed else 0)
