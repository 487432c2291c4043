"""Build the HAM10000 sample embedded in the package (`dpaat/sample/`) from a full copy of HAM10000 and its masks.

Usage: python data_prep/make_sample.py --data PATH [--per-class 40] [--per-class-7 8]

The sample holds, for each split of the paper's three-class split (the shipped manifest `ham10000_paper_seed0`), the first
`--per-class` images of each class in the manifest's order, and for the seven-class split (`ham10000_7class_seed0`) the
first `--per-class-7`: exactly the images `max_per_class=k` selects for any k up to those numbers, so that a call on the
sample trains and scores on the same images as the same call on the full data. Images and masks are copied byte for byte
(the metadata rows unchanged), so the results are the same too. The licence and attribution are in `dpaat/sample/README.md`.
"""
import argparse, hashlib, shutil
from pathlib import Path
from dpaat.data import (find_data, ham_folder, read_ham_metadata, index_images, mask_folder, load_manifest, first_per_class,
                        DEFAULT_MANIFEST, HAM7_MANIFEST, METADATA_NAME, MASK_SUFFIX, SPLITS)

def chosen(manifest:str, k:int) -> list:
    "The image ids `max_per_class=k` selects in each split of a shipped manifest."
    man, ids = load_manifest(manifest), []
    for split in SPLITS:
        rows = man[man.split == split]
        ids += list(rows.image_id.iloc[first_per_class(rows.label.to_numpy(), k)])
    return ids

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default=None, help='data root holding HAM10000 and its masks (default: $DPAAT_DATA)')
    ap.add_argument('--per-class', type=int, default=40, help="images of each class and split of the paper's split")
    ap.add_argument('--per-class-7', type=int, default=8, help='images of each class and split of the seven-class split')
    ap.add_argument('--out', default=str(Path(__file__).resolve().parents[1] / 'dpaat' / 'sample'))
    a = ap.parse_args()
    root = find_data(a.data)
    folder, masks = ham_folder(root), mask_folder(root)
    ids = sorted(set(chosen(DEFAULT_MANIFEST, a.per_class)) | set(chosen(HAM7_MANIFEST, a.per_class_7)))
    out = Path(a.out); img_out, mask_out = out / 'ham10000', out / 'ham10000_masks'
    for d in (img_out, mask_out):
        if d.exists(): shutil.rmtree(d)
        d.mkdir(parents=True)
    meta = read_ham_metadata(folder)
    meta[meta.image_id.isin(ids)].sort_values('image_id').to_csv(img_out / METADATA_NAME, index=False)
    paths, mpaths = index_images(folder), {k[:-len(MASK_SUFFIX)]: v for k, v in index_images(masks, f'ISIC_*{MASK_SUFFIX}.png').items()}
    sums = {img_out: [], mask_out: []}  # a MD5SUMS per folder, as the full copy has (`dpaat check-data` reads the images')
    for i in ids:
        for src, dst in ((paths[i], img_out / paths[i].name), (mpaths[i], mask_out / mpaths[i].name)):
            shutil.copyfile(src, dst)
            sums[dst.parent].append(f"{hashlib.md5(dst.read_bytes()).hexdigest()}  {dst.name}")
    for d, lines in sums.items(): (d / 'MD5SUMS').write_text('\n'.join(lines) + '\n')
    size = sum(p.stat().st_size for p in out.rglob('*') if p.is_file())
    print(f"wrote {out}: {len(ids)} images and their masks, {size / 2**20:.1f} MiB")
