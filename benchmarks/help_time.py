"""How long `dpaat --help` and each subcommand's `--help` take, as a new process (the median of 5): a benchmark that prints
numbers, not a test. Run: python benchmarks/help_time.py"""
import statistics, subprocess, sys, time

def seconds(args, n=5):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, '-c', 'import sys; from dpaat.cli import main; sys.exit(main())', *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

if __name__ == '__main__':
    print('command                     median s (5 runs)')
    for args in (['--help'], ['models', '--help'], ['reproduce', '--help'], ['evaluate', '--help'], ['train', '--help'], ['bench', '--help']):
        print(f"dpaat {' '.join(args):<22} {seconds(args):6.2f}")
