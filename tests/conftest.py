"""pytest options shared by the test files: where the data is, whether to run the slow notebook cells, and how the suite
shares the cores when it runs on several workers (`pytest -n 2`, pytest-xdist)."""
import os
from pathlib import Path


def pytest_addoption(parser):
    parser.addoption('--data', default=None, help='data root holding ham10000_200x150 etc. (default: $DPAAT_DATA)')
    parser.addoption('--slow', action='store_true', help="also run notebook cells flagged '#| slow'")


def pytest_configure(config):
    d = config.getoption('--data') or os.environ.get('DPAAT_DATA')
    if d:  # absolute, because the notebooks run with their own folder as the working directory
        os.environ['DPAAT_DATA'] = str(Path(d).expanduser().resolve())
    workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1'))
    if workers > 1:  # each worker's torch (and its children's) gets its share of the cores: OpenMP threads that outnumber
        # the cores spin while they wait, and a notebook then takes several times as long (06_evaluate: 1.7 min alone, 12.7 min beside two busy cores)
        os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // workers)))


def work_unit(nodeid:str) -> str:
    "What one worker runs as a whole: the smoke reproduction's tests (they share one reproduction), the paper notebooks (they share one scratch folder), else one test."
    if nodeid.split('::')[0].endswith('test_reproduce.py'): return 'smoke reproduction'
    if '::test_notebook[paper/' in nodeid: return 'paper notebooks'
    return nodeid


try: from xdist.scheduler import LoadScopeScheduling
except ImportError: LoadScopeScheduling = None  # without pytest-xdist the tests run one at a time

if LoadScopeScheduling is not None:
    class WorkUnits(LoadScopeScheduling):
        "xdist's scope scheduler (the largest unit first) over `work_unit`. Not `--dist loadgroup`: it groups by rewriting node ids, which pytest 9.2 ignores (pytest-xdist issue 1386), so the smoke reproduction ran twice at once."
        def _split_scope(self, nodeid): return work_unit(nodeid)

    def pytest_xdist_make_scheduler(config, log):  # for `-n` alone (`--dist load`); another `--dist` is the user's choice
        return WorkUnits(config, log) if config.getoption('dist') == 'load' else None
