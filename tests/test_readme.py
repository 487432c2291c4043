"""The README's Python blocks run as written, as a new user runs them (issue 38): every block, in order, in one namespace, in an
empty working folder, with no data folder (no DPAAT_DATA), so on the HAM10000 sample embedded in the package. The blocks that
are the index notebook's code cells are shown with their outputs, which the notebook's run on the sample made.

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


def test_every_python_block_of_the_readme_runs_on_the_embedded_sample(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv('DPAAT_DATA', raising=False)
    import dpaat.data
    monkeypatch.setattr(dpaat.data, '_told', [])  # this process may have announced the sample already
    every = blocks()
    assert len(every) >= 4 and any('class MyNet' in b for b in every), 'the README lost its examples'
    ns = {}
    for b in every:
        exec(compile(b, 'README.md', 'exec'), ns)  # a block that fails names itself in the traceback
    assert (tmp_path / 'runs' / 'mine' / 'model.pt').exists() and (tmp_path / 'runs' / 'sat-heavy' / 'model.pt').exists()
    assert 'using the HAM10000 sample embedded in dpaat' in capsys.readouterr().err  # and it said so
    assert len(ns['test']) == 120


def test_the_readme_shows_the_index_notebooks_cells_with_their_imports():
    shown = [b for b in blocks() if b.strip() in index_cells()]
    assert len(shown) >= 2 and shown[0].lstrip().startswith('import torch'), shown[:1]
