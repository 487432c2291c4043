"""data_prep/get_ham10000.py on an offline, hand-built archive in Harvard Dataverse's layout.

Not a notebook because it runs a script as a subprocess; the download itself needs internet and is not tested here,
but everything after it (unpacking the zip of zips, converting Dataverse's .tab metadata, checksums, the final check) is.
"""
import csv, io, subprocess, sys, zipfile, os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_organise_dataverse_archive(tmp_path):
    src = Path(os.environ['DPAAT_DATA']) / 'ham10000_200x150'
    rows = list(csv.reader(open(src / 'HAM10000_metadata.csv')))[:9]  # header + 8 images
    ids = [r[1] for r in rows[1:]]
    inner = []
    for part, chunk in ((1, ids[:4]), (2, ids[4:])):
        b = io.BytesIO()
        with zipfile.ZipFile(b, 'w') as z:
            for i in chunk: z.write(src / f'{i}.jpg', f'{i}.jpg')
        inner.append((f'HAM10000_images_part_{part}.zip', b.getvalue()))
    tab = io.StringIO(); csv.writer(tab, delimiter='\t', lineterminator='\n').writerows(rows)
    archive = tmp_path / 'dataverse.zip'
    with zipfile.ZipFile(archive, 'w') as z:
        for name, data in inner: z.writestr(name, data)
        z.writestr('HAM10000_metadata.tab', tab.getvalue())
    out = tmp_path / 'ham'
    r = subprocess.run([sys.executable, str(ROOT / 'data_prep' / 'get_ham10000.py'), '--from-zip', str(archive), '--out', str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'verified against MD5SUMS' in r.stdout and r.stdout.strip().endswith('OK')
    assert sorted(p.stem for p in out.rglob('*.jpg')) == sorted(ids)
    assert (out / 'HAM10000_images_part_2' / f'{ids[-1]}.jpg').read_bytes() == (src / f'{ids[-1]}.jpg').read_bytes()
    assert len((out / 'MD5SUMS').read_text().splitlines()) == 8


def test_the_embedded_sample_is_what_make_sample_builds_from_the_data(tmp_path):
    """data_prep/make_sample.py on the full data rebuilds the committed `dpaat/sample/` exactly: the same files, byte for byte
    (so the sample is the real split's first images, not a hand-picked set)."""
    r = subprocess.run([sys.executable, str(ROOT / 'data_prep' / 'make_sample.py'), '--data', os.environ['DPAAT_DATA'], '--out', str(tmp_path / 's')],
                       capture_output=True, text=True)
    assert r.returncode == 0 and 'wrote' in r.stdout and '480 images' in r.stdout, r.stdout + r.stderr
    committed = ROOT / 'dpaat' / 'sample'
    for sub in ('ham10000', 'ham10000_masks'):
        made = sorted(p.name for p in (tmp_path / 's' / sub).iterdir())
        assert made == sorted(p.name for p in (committed / sub).iterdir()), sub
        assert (tmp_path / 's' / sub / 'MD5SUMS').read_text() == (committed / sub / 'MD5SUMS').read_text()
    assert (tmp_path / 's' / 'ham10000' / 'HAM10000_metadata.csv').read_bytes() == (committed / 'ham10000' / 'HAM10000_metadata.csv').read_bytes()
