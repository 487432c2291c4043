"""Download the DermaMNIST archives (MedMNIST v2) and check their MD5 sums.

Needs internet. Run from the repository root:

    python data_prep/get_dermamnist.py --out ~/data/dermamnist --sizes 28 64 128 224

Writes `dermamnist.npz` (28x28) and `dermamnist_{size}.npz`, which `dpaat.data.DermaMNIST` reads directly.
The checksums are those of `medmnist==3.0.2` (`info.py`); `pip install medmnist` and its `DermaMNIST(download=True)`
fetch the same files. Licence: CC BY-NC 4.0, following HAM10000.
"""
import argparse, hashlib, sys, urllib.request
from pathlib import Path

ZENODO = 'https://zenodo.org/records/10519652/files/{name}?download=1'
MD5 = {28: ('dermamnist.npz', '0744692d530f8e62ec473284d019b0c7'),
       64: ('dermamnist_64.npz', 'b70a2f5635c6199aeaa28c31d7202e1f'),
       128: ('dermamnist_128.npz', '2defd784463fa5243564e855ed717de1'),
       224: ('dermamnist_224.npz', '8974907d8e169bef5f5b96bc506ae45d')}


def md5(p: Path) -> str:
    h = hashlib.md5()
    with open(p, 'rb') as f:
        while chunk := f.read(1 << 20): h.update(chunk)
    return h.hexdigest()


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--sizes', type=int, nargs='+', default=[28], choices=sorted(MD5))
    a = ap.parse_args()
    out = Path(a.out).expanduser(); out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for s in a.sizes:
        name, want = MD5[s]
        dest = out / name
        if not dest.exists() or md5(dest) != want:
            print(f'downloading {name}', file=sys.stderr)
            tmp = dest.with_suffix('.part')
            urllib.request.urlretrieve(ZENODO.format(name=name), tmp)
            tmp.rename(dest)
        got = md5(dest)
        print(f"{name}: md5 {got} {'OK' if got == want else 'MISMATCH, expected ' + want}")
        bad += got != want
    sys.exit(1 if bad else 0)
