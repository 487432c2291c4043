"""How long `dpaat --help`, each subcommand's `--help` and a misspelt method take, as a new process (the median of 5, after
one call that records the subcommand's flags in the user's cache; that first call is shown apart): a benchmark that prints
numbers, not a test. Run: python benchmarks/help_time.py"""
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
    import os, tempfile
    os.environ['XDG_CACHE_HOME'] = tempfile.mkdtemp()  # a fresh cache: the first call of each subcommand records its flags
    print(f'{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}')
    print('command                                   first call s   median s (5 more)')
    for args in (['--help'], ['models', '--help'], ['reproduce', '--help'], ['evaluate', '--help'], ['train', '--help'], ['bench', '--help'],
                 ['train', '--out', 'x', '--method', 'dpat']):
        first = once(args)
        print(f"dpaat {' '.join(args):<36} {first:12.2f} {seconds(args):12.2f}")
