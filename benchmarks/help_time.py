"""How long `dpaat --help`, each subcommand's `--help` and a misspelt method, model, data set or profile take, as a new process (the median of 5, after
one call that records the subcommand's flags in the user's cache; that first call is shown apart): a benchmark that prints
numbers, not a test. Run: python benchmarks/help_time.py [--csv FILE]"""
import statistics, subprocess, sys, time

def once(args):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, '-c', 'import sys; from dpaat.cli import main; sys.exit(main())', *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0

def seconds(args, n=5):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, '-c', 'import sys; from dpaat.cli import main; sys.exit(main())', *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

if __name__ == '__main__':
    import argparse, os, tempfile
    ap = argparse.ArgumentParser(); ap.add_argument('--csv', help='also write the table to this CSV')
    a = ap.parse_args()
    load, rows = os.getloadavg()[0], []
    os.environ['XDG_CACHE_HOME'] = tempfile.mkdtemp()  # a fresh cache: the first call of each subcommand records its flags
    print(f'{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}')
    print('command                                   first call s   median s (5 more)')
    for args in (['--help'], ['models', '--help'], ['reproduce', '--help'], ['evaluate', '--help'], ['train', '--help'], ['bench', '--help'],
                 ['train', '--out', 'x', '--method', 'dpat'], ['train', '--out', 'x', '--model', 'resnet19'],
                 ['train', '--out', 'x', '--dataset', 'ham1000'], ['reproduce', '--profile', 'smok']):
        first = once(args)
        rows.append(dict(command='dpaat ' + ' '.join(args), first_call_s=round(first, 2), median_s=round(seconds(args), 2), cores=os.cpu_count(), load=round(load, 2)))
        print(f"{rows[-1]['command']:<42} {first:12.2f} {rows[-1]['median_s']:12.2f}", flush=True)
    if a.csv:
        import pandas as pd
        from dpaat.files import atomic_write_csv  # the project's CSV writer
        atomic_write_csv(pd.DataFrame(rows), a.csv)
