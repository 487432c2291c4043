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


def pytest_collection_modifyitems(config, items):
    "The smoke reproduction (one worker's group, a third of the suite's time) first, so that the workers finish together."
    items.sort(key=lambda it: 0 if it.get_closest_marker('xdist_group') and it.get_closest_marker('xdist_group').args == ('smoke',) else 1)
