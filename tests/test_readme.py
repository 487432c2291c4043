"""The README's Python blocks run as written (issue 38): each block that is not one of the index notebook's code cells (those
run in tests/test_notebooks.py, and the README shows them with their outputs) is executed here, in order, in one namespace,
in an empty working folder.

Not a notebook because it reads README.md, the file a new user copies from."""
import json, os, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def blocks():
    return re.findall(r"```python\n(.*?)```", (ROOT / 'README.md').read_text(), re.S)


def index_cells():
    nb = json.loads((ROOT / 'nbs' / 'index.ipynb').read_text())
    return [''.join(c['source']).strip() for c in nb['cells'] if c['cell_type'] == 'code']


def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = [b for b in blocks() if b.strip() not in index_cells()]
    assert len(own) >= 2 and any('class MyNet' in b for b in own), 'the README lost its examples'
    ns = {}
    for b in own:
        exec(compile(b, 'README.md', 'exec'), ns)  # a block that fails names itself in the traceback
    assert (tmp_path / 'runs' / 'mine' / 'model.pt').exists() and (tmp_path / 'runs' / 'sat-heavy' / 'model.pt').exists()


def test_the_readme_shows_the_index_notebooks_cells_with_their_imports():
    shown = [b for b in blocks() if b.strip() in index_cells()]
    assert len(shown) >= 2 and shown[0].lstrip().startswith('import torch'), shown[:1]
