"""pytest options shared by the test files: where the data is, and whether to run the slow notebook cells."""
import os
from pathlib import Path


def pytest_addoption(parser):
    parser.addoption('--data', default=None, help='data root holding ham10000_200x150 etc. (default: $DPAAT_DATA)')
    parser.addoption('--slow', action='store_true', help="also run notebook cells flagged '#| slow'")


def pytest_configure(config):
    d = config.getoption('--data') or os.environ.get('DPAAT_DATA')
    if d:  # absolute, because the notebooks run with their own folder as the working directory
        os.environ['DPAAT_DATA'] = str(Path(d).expanduser().resolve())
