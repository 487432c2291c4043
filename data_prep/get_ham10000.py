"""Download HAM10000 (images, metadata, lesion masks) from Harvard Dataverse, lay it out, checksum it and verify it.

Needs internet. Run from the repository root:

    python data_prep/get_ham10000.py --out ~/data/ham10000            # download (about 3 GB) and organise
    python data_prep/get_ham10000.py --from-zip dataverse.zip --out DIR  # organise an archive you downloaded by hand

The result is the official layout that `dpaat` reads: `HAM10000_metadata.csv`, `HAM10000_images_part_1/`,
`HAM10000_images_part_2/` (ISIC_*.jpg at 600x450), `masks/ISIC_*_segmentation.png`, and an `MD5SUMS` file over the images.
It ends by running the same check as `dpaat check-data`. Source: Tschandl et al., Sci. Data 5, 180161 (2018),
doi:10.7910/DVN/DBW86T, licence CC BY-NC 4.0 (non-commercial use, with attribution).
"""
import argparse, csv, hashlib, io, shutil, sys, urllib.request, zipfile
from pathlib import Path

DOI = 'doi:10.7910/DVN/DBW86T'
DATAVERSE_ZIP = f'https://dataverse.harvard.edu/api/access/dataset/:persistentId/?persistentId={DOI}&format=original'


def download(url: str, dest: Path) -> Path:
    "Stream `url` to `dest` with a progress line; resumes nothing, but never leaves a partial file under the final name."
    tmp = dest.with_suffix(dest.suffix + '.part')
    with urllib.request.urlopen(url) as r, open(tmp, 'wb') as f:
        total, done = int(r.headers.get('Content-Length') or 0), 0
        while chunk := r.read(1 << 20):
            f.write(chunk); done += len(chunk)
            print(f'\r{dest.name}: {done / 2**20:,.0f} MiB' + (f' of {total / 2**20:,.0f}' if total else ''), end='', file=sys.stderr)
    print(file=sys.stderr)
    tmp.rename(dest)
    return dest


def _extract_images(z: zipfile.ZipFile, dest: Path, suffix: str) -> int:
    "Extract the members ending in `suffix` flat into `dest`; returns how many."
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for m in z.namelist():
        if m.endswith(suffix) and not Path(m).name.startswith('.'):
            (dest / Path(m).name).write_bytes(z.read(m)); n += 1
    return n


def organise(archive: Path, out: Path) -> None:
    "Lay out a Dataverse download (a zip of zips plus the metadata) in the official HAM10000 layout under `out`."
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as top:
        for name in top.namelist():
            base = Path(name).name
            if base.startswith('HAM10000_images_part_') and base.endswith('.zip'):
                with zipfile.ZipFile(io.BytesIO(top.read(name))) as z:
                    n = _extract_images(z, out / base[:-4], '.jpg')
                print(f'{base}: {n} images')
            elif base.startswith('HAM10000_segmentations') and base.endswith('.zip'):
                with zipfile.ZipFile(io.BytesIO(top.read(name))) as z:
                    n = _extract_images(z, out / 'masks', '_segmentation.png')
                print(f'{base}: {n} masks')
            elif base in ('HAM10000_metadata.csv', 'HAM10000_metadata', 'HAM10000_metadata.tab'):
                text = top.read(name).decode('utf-8')
                if '\t' in text.splitlines()[0]:  # Dataverse's archival .tab format: tab-separated, quoted
                    rows = list(csv.reader(io.StringIO(text), delimiter='\t'))
                    buf = io.StringIO(); csv.writer(buf, lineterminator='\n').writerows(rows); text = buf.getvalue()
                (out / 'HAM10000_metadata.csv').write_text(text)
                print(f'{base}: metadata')
    imgs = sorted(out.glob('HAM10000_images_part_*/*.jpg'))
    (out / 'MD5SUMS').write_text(''.join(f'{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(out)}\n' for p in imgs))


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True, help='folder to create')
    ap.add_argument('--from-zip', help='use this already downloaded Dataverse archive instead of downloading')
    ap.add_argument('--keep-zip', action='store_true', help='keep the downloaded archive')
    a = ap.parse_args()
    out = Path(a.out).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    archive = Path(a.from_zip) if a.from_zip else download(DATAVERSE_ZIP, out / 'dataverse_DBW86T.zip')
    organise(archive, out)
    if not a.from_zip and not a.keep_zip: archive.unlink()
    from dpaat.cli import main
    sys.exit(main(['check-data', '--data', str(out), '--quiet']))
