"""The docs site, as far as it can be built without Quarto: the front page and the Table I page rendered to HTML and
checked in headless Chromium.

Not a notebook because it drives `nbdev-proc-nbs`, `nbconvert` and a browser in subprocesses. Quarto (which `nbdev-docs`
needs) cannot be installed on the CI machine; the pages are rendered from the same processed notebooks (`_proc/`) that Quarto
would read, and Chromium loads them as a reader's browser would. CI installs Debian's `chromium`; without it (and outside
CI) the test is skipped and says why.
"""
import os, re, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')


@pytest.fixture(scope='module')
def pages(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get('CI'): pytest.fail('CI must install chromium (apt-get install chromium) for the docs test')
        pytest.skip('no chromium on this machine (apt-get install chromium)')
    out = tmp_path_factory.mktemp('site')
    sidebar = (ROOT / 'nbs' / 'sidebar.yml').read_text()
    r = subprocess.run([str(BIN / 'nbdev-proc-nbs')], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    # the hand-written sidebar (custom_sidebar) survives: nbdev would otherwise list every file under nbs/, CSVs included
    assert (ROOT / 'nbs' / 'sidebar.yml').read_text() == sidebar and 'section: Paper' in sidebar
    html = {}
    for name, nb in (('index', ROOT / '_proc' / 'index.ipynb'), ('table1', ROOT / '_proc' / 'paper' / 'table1_robustness.ipynb')):
        assert nb.exists(), f'nbdev-proc-nbs did not write {nb}'
        r = subprocess.run([str(BIN / 'jupyter'), 'nbconvert', '--to', 'html', str(nb), '--output-dir', str(out), '--output', name],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-3000:]
        dom = subprocess.run([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom',
                              (out / f'{name}.html').as_uri()], capture_output=True, text=True, timeout=120)
        assert dom.returncode == 0 and '<body' in dom.stdout, dom.stderr[-2000:]
        html[name] = dom.stdout
    return html


def test_front_page_maps_each_artifact_to_its_notebook(pages):
    dom = pages['index']
    assert '<table' in dom
    for nb in ('table1_robustness', 'table2_precision', 'fig2_confusion', 'fig3_ablation', 'fig4_gradcam', 'report'):
        assert nb in dom, nb
    assert 'dpaat reproduce' in dom


def test_table1_page_shows_the_table_and_a_figure(pages):
    dom = pages['table1']
    tables = re.findall(r'<table[^>]*class="dataframe[^"]*"[^>]*>(.*?)</table>', dom, flags=re.S)
    assert tables, 'no rendered DataFrame on the Table I page'
    assert any('20-PGD' in t and 'GAcc' in t and 'dpaat' in t for t in tables)
    assert any('ours − paper' in t for t in tables)
    imgs = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', dom)
    assert imgs and max(len(i) for i in imgs) > 10000, 'no figure on the Table I page'


def test_readme_links_work_from_the_repository_root():
    "GitHub shows README.md at the root: every relative link in it must name a file there (the docs' index links from nbs/)."
    links = [l for l in re.findall(r'\]\(([^)#\s]+)', (ROOT / 'README.md').read_text()) if not l.startswith(('http:', 'https:', 'mailto:'))]
    missing = [l for l in links if not (ROOT / l).exists()]
    assert links and not missing, missing
