"""Bad input, table-driven: every user error the `dpaat` command can meet, with the exit status and a phrase of the message.

Not a notebook because it checks the command's exit status and what it prints to stderr, case by case, and one table keeps
every case (old and new) from regressing. The cases run in-process through `dpaat.cli.main` (a subprocess per case would
spend most of its time importing torch); `tests/test_cli.py` checks the installed entry point itself.
"""
import contextlib, io, os, shutil
from pathlib import Path
import pytest
import torch
import yaml
from dpaat.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEG = ['--task', 'segmentation', '--model', 'unet_small', '--dataset', 'mask-folder', '--image-size', '32', '--epochs', '1', '--patience', 'none', '--quiet']
TINY = ['--model', 'small_cnn', '--image-size', '24', '--eps', '0.5', '--lr', '3e-3', '--patience', 'none', '--quiet', '--max-per-class', '8']


def call(argv):
    "Exit status and stderr of `dpaat ARGV`."
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try: code = main([str(a) for a in argv])
        except SystemExit as e: code = e.code  # argparse's usage errors
    return code, err.getvalue()


@pytest.fixture(scope='module')
def w(tmp_path_factory):
    "A workspace: a finished tiny run, a file where a folder is expected, damaged copies of the run, bad profiles."
    d = tmp_path_factory.mktemp('bad')
    code, err = call(['train', '--method', 'std', '--epochs', '1', '--out', d / 'run', *TINY])
    assert code == 0, err
    (d / 'a_file').write_text('not a folder')
    model = (d / 'run' / 'model.pt').read_bytes()
    from dpaat.files import trust_checkpoint
    def damaged(name, data, keep_sum=False):  # keep_sum: the good file's checksum; else one of these bytes (a file accepted knowingly)
        r = d / name; r.mkdir(); (r / 'model.pt').write_bytes(data)
        if keep_sum: shutil.copy(d / 'run' / 'model.pt.sha256', r / 'model.pt.sha256')
        else: trust_checkpoint(r / 'model.pt')
    damaged('random', os.urandom(4000))
    damaged('truncated', model[:len(model) // 2])
    flipped = bytearray(model); flipped[len(model) // 2] ^= 0x10
    damaged('flipped', bytes(flipped), keep_sum=True)
    rec = torch.load(d / 'run' / 'model.pt', weights_only=True)
    rec['model'] = {k: v * float('inf') if v.is_floating_point() else v for k, v in rec['model'].items()}
    (d / 'inf').mkdir(); torch.save(rec, d / 'inf' / 'model.pt'); trust_checkpoint(d / 'inf' / 'model.pt')
    (d / 'nosum').mkdir(); (d / 'nosum' / 'model.pt').write_bytes(bytes(flipped))  # damaged, and its checksum deleted
    class Evil:
        def __reduce__(self): return (os.system, (f'touch {d / "pwned"}',))
    (d / 'evil').mkdir(); torch.save(dict(rec, extra=Evil()), d / 'evil' / 'model.pt'); trust_checkpoint(d / 'evil' / 'model.pt')  # even trusted
    (d / 'stray').mkdir(); (d / 'stray' / 'model.pt').write_bytes(model)  # another run's model, no checkpoint
    (d / 'broken.py').write_text('1 / 0\n')  # a plugin module that fails as it is imported
    smoke = yaml.safe_load((ROOT / 'dpaat' / 'profiles' / 'smoke.yaml').read_text())
    for name, sec, change in (('mpc', 'evaluate', dict(max_per_class='10')), ('bs', 'evaluate', dict(batch_size=0)),
                              ('cam', 'gradcam', dict(per_class=-1)), ('eps0', 'train', dict(eps=0))):
        p = {**smoke, sec: {**smoke[sec], **change}}
        (d / f'{name}.yaml').write_text(yaml.safe_dump(p, allow_unicode=True))
    for name, change in (('models5', dict(models=5)), ('groupslist', dict(groups=['small_cnn'])), ('spc', dict(seeds_per_call='abc'))):
        (d / f'{name}.yaml').write_text(yaml.safe_dump({**smoke, **change}, allow_unicode=True))
    # data sets: an image tree without images, one whose val split lacks a class (real HAM10000 images), a cut MedMNIST archive
    (d / 'emptytree' / 'train' / 'nv').mkdir(parents=True)
    ham = Path(os.environ['DPAAT_DATA']) / 'ham10000_200x150'
    imgs = sorted(ham.rglob('ISIC_*.jpg'))[:6]
    more = sorted(ham.rglob('ISIC_*.jpg'))[6:9]
    k = 0
    for split, classes in (('train', ('mel', 'nv')), ('val', ('nv',)), ('test', ('mel', 'nv'))):
        for c in classes:  # a different image each (an image in two splits is a leak, refused before anything else)
            (d / 'holetree' / split / c).mkdir(parents=True); shutil.copy(imgs[k], d / 'holetree' / split / c); k += 1
    # a tree with one image in train and test (leak), and one with a link loop inside a class folder (train/nv/loop -> ..)
    shutil.copytree(d / 'holetree', d / 'leaktree'); shutil.copy(imgs[0], d / 'leaktree' / 'test' / 'mel')  # imgs[0] is train's mel too
    shutil.copytree(d / 'holetree', d / 'looptree'); (d / 'looptree' / 'val' / 'mel').mkdir(); shutil.copy(imgs[5], d / 'looptree' / 'val' / 'mel')
    (d / 'looptree' / 'train' / 'nv' / 'loop').symlink_to('..', target_is_directory=True)
    code, err = call(['train', '--method', 'std', '--epochs', '1', '--out', d / 'folderrun', '--dataset', 'folder', '--data', d / 'looptree', *TINY])
    assert code == 0, err  # a two-class run (mel, nv) on a folder tree, and trees with other classes to evaluate it on
    shutil.copytree(d / 'looptree', d / 'renamed', symlinks=True)
    for s in ('train', 'val', 'test'): (d / 'renamed' / s / 'mel').rename(d / 'renamed' / s / 'bkl')
    shutil.copytree(d / 'looptree', d / 'three', symlinks=True)
    for s, im in (('train', 6), ('val', 7), ('test', 8)): (d / 'three' / s / 'vasc').mkdir(); shutil.copy(more[im - 6], d / 'three' / s / 'vasc')
    man = __import__('pandas').read_csv(ROOT / 'dpaat' / 'manifests' / 'ham10000_paper_seed0.csv')
    __import__('pandas').concat([man, man[man.split == 'test'].head(72).assign(split='train')]).to_csv(d / 'leak_manifest.csv', index=False)
    man.astype({'label': str}).assign(label=lambda t: t.label.where(t.index != 5, 'two')).to_csv(d / 'badlabel.csv', index=False)
    from dpaat.grid import load_profile, run_specs
    rid = run_specs(load_profile('smoke'), [0])[-1].run_id  # a reproduction folder whose run record was damaged
    (d / 'rbad' / 'runs' / rid).mkdir(parents=True); (d / 'rbad' / 'runs' / rid / 'params.json').write_text('{"run_id": ')
    (d / 'cfglist').mkdir(); (d / 'cfglist' / 'config.json').write_text('[1, 2]')
    (d / 'cfgbad').mkdir(); (d / 'cfgbad' / 'config.json').write_text('{"epochs": ')
    (d / 'cfgstr').mkdir(); (d / 'cfgstr' / 'config.json').write_text((d / 'run' / 'config.json').read_text().replace('"epochs": 1', '"epochs": "2"'))
    shutil.copytree(d / 'looptree', d / 'bombtree', symlinks=True)  # a 20000 × 20000 PNG (Pillow refuses it as a decompression bomb)
    from PIL import Image
    Image.new('1', (20000, 20000)).save(d / 'bombtree' / 'train' / 'mel' / 'bomb.png')
    import numpy as np
    (d / 'npz').mkdir(); np.savez(d / 'npz' / 'dermamnist.npz', train_images=np.zeros((3, 28, 28, 3), np.uint8))
    # lesion masks in the ISIC layout (real HAM10000 images and masks), and three damaged copies
    masks = Path(os.environ['DPAAT_DATA']) / 'ham10000_masks'
    for k, split in enumerate(('train', 'train', 'val', 'test')):
        for sub in ('images', 'masks'): (d / 'isic' / split / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(imgs[k], d / 'isic' / split / 'images'); shutil.copy(masks / f'{imgs[k].stem}_segmentation.png', d / 'isic' / split / 'masks')
    for name in ('masksize', 'maskgrey', 'masklack'): shutil.copytree(d / 'isic', d / name)
    first = lambda name: sorted((d / name / 'train' / 'masks').iterdir())[0]
    Image.fromarray(np.zeros((150, 150), np.uint8)).save(first('masksize'))
    Image.fromarray((np.asarray(Image.open(first('maskgrey'))) // 2).astype(np.uint8)).save(first('maskgrey'))
    first('masklack').unlink()
    return d


CASES = [  # (name, argv with {w} for the workspace, exit status, phrase of the one-line message)
    # output folders
    ('train into a path under a file', ['train', '--out', '{w}/a_file/sub', '--method', 'std', '--epochs', '1'], 2, 'a_file/sub: Not a directory'),
    ('train into a file', ['train', '--out', '{w}/a_file', '--method', 'std', '--epochs', '1'], 2, 'it is a file'),
    ('evaluate into a path under a file', ['evaluate', '--checkpoint', '{w}/run', '--out', '{w}/a_file/x', '--quiet'], 2, 'Not a directory'),
    ('bench into a path under a file', ['bench', '--out', '{w}/a_file/b'], 2, 'Not a directory'),
    ('reproduce into a path under a file', ['reproduce', '--out', '{w}/a_file/r', '--quiet'], 2, 'Not a directory'),
    # run folders
    ('train over a finished run', ['train', '--out', '{w}/run', '--method', 'std', '--epochs', '1', *TINY], 2, 'pass resume=True (--resume)'),
    ('resume with another configuration', ['train', '--out', '{w}/run', '--resume', '--method', 'std', '--epochs', '1', *TINY, '--lr', '0.1'], 2, 'lr=0.003 (now 0.1)'),
    ("train where another run's model.pt lies", ['train', '--out', '{w}/stray', '--method', 'std', '--epochs', '1', *TINY], 2, 'holds model.pt but no checkpoint'),
    # checkpoints
    ('evaluate a missing run', ['evaluate', '--checkpoint', '{w}/nowhere'], 2, 'No trained model at'),
    ('evaluate random bytes', ['evaluate', '--checkpoint', '{w}/random', '--quiet'], 2, 'random/model.pt cannot be loaded: it is damaged'),
    ('evaluate a truncated file', ['evaluate', '--checkpoint', '{w}/truncated', '--quiet'], 2, 'truncated/model.pt cannot be loaded'),
    ('evaluate a flipped bit', ['evaluate', '--checkpoint', '{w}/flipped', '--quiet'], 2, 'does not match its checksum'),
    ('evaluate a model whose checksum was deleted', ['evaluate', '--checkpoint', '{w}/nosum', '--quiet'], 2, 'has no checksum file model.pt.sha256 beside it'),
    ('trust a folder without a checkpoint', ['trust', '{w}/emptytree'], 2, 'holds no model.pt or last.pt to trust'),
    ('evaluate inf weights', ['evaluate', '--checkpoint', '{w}/inf', '--quiet'], 2, 'holds non-finite values'),
    ('evaluate a file that runs code', ['evaluate', '--checkpoint', '{w}/evil', '--quiet'], 2, 'could run code when loaded'),
    # numbers
    ('evaluate --max-per-class -290', ['evaluate', '--checkpoint', '{w}/run', '--max-per-class', '-290'], 2, 'argument --max-per-class: must be ≥ 1, got -290'),
    ('evaluate --max-per-class 0', ['evaluate', '--checkpoint', '{w}/run', '--max-per-class', '0'], 2, 'argument --max-per-class: must be ≥ 1, got 0'),
    ('evaluate --batch-size 0', ['evaluate', '--checkpoint', '{w}/run', '--batch-size', '0'], 2, 'argument --batch-size: must be ≥ 1'),
    ('evaluate --eps-l2 -1', ['evaluate', '--checkpoint', '{w}/run', '--eps-l2', '-1', '--quiet'], 2, 'eps_l2 must be a finite number ≥ 0'),
    ('evaluate --eps-linf nonsense', ['evaluate', '--checkpoint', '{w}/run', '--eps-linf', 'eight'], 2, "not a number: 'eight'"),
    ('train --eps 0 with an attack', ['train', '--out', '{w}/e0', '--method', 'dpaat', '--eps', '0'], 2, "eps must be > 0 for method 'dpaat'"),
    ('train --eps -0.1', ['train', '--out', '{w}/e1', '--eps', '-0.1'], 2, 'eps must be a finite number ≥ 0'),
    ('train --steps 0 with an attack', ['train', '--out', '{w}/s0', '--method', 'at', '--steps', '0'], 2, "steps must be > 0 for method 'at'"),
    ('train --step-size 0 with an attack', ['train', '--out', '{w}/s1', '--method', 'at', '--step-size', '0'], 2, "step_size must be > 0 for method 'at'"),
    ('train --max-per-class 0', ['train', '--out', '{w}/m0', '--max-per-class', '0'], 2, 'max_per_class must be an int ≥ 1'),
    ('train --max-per-class -290', ['train', '--out', '{w}/m1', '--max-per-class', '-290'], 2, 'max_per_class must be an int ≥ 1'),
    ('train --epochs x', ['train', '--out', '{w}/x', '--epochs', 'x'], 2, "invalid int value: 'x'"),
    ('train --method nope', ['train', '--out', '{w}/x', '--method', 'nope'], 2, "invalid choice: 'nope'"),
    ('train --stop-after 0', ['train', '--out', '{w}/x', '--stop-after', '0'], 2, 'argument --stop-after: must be ≥ 1'),
    ('train --patience 0', ['train', '--out', '{w}/x', '--patience', '0'], 2, 'patience must be ≥ 1 or None'),
    ('train --alpha 2', ['train', '--out', '{w}/x', '--alpha', '2'], 2, 'alpha must be a finite number in [0, 1], got 2.0'),
    ("a hyper-parameter the method lacks", ['train', '--out', '{w}/x', '--method', 'sat', '--beta', '2'], 2, "method 'sat' has no hyper-parameter 'beta'; its hyper-parameters: alpha"),
    ('train --sync-mode jsd', ['train', '--out', '{w}/x', '--sync-mode', 'jsd'], 2, "argument --sync-mode: invalid choice: 'jsd'"),
    ('train --plugin that is missing', ['train', '--plugin', '{w}/nothing.py', '--out', '{w}/x'], 2, 'nothing.py: no such file'),
    ('train --plugin that raises', ['train', '--plugin', '{w}/broken.py', '--out', '{w}/x'], 2, 'broken.py could not be loaded: ZeroDivisionError'),
    ('train an unknown model', ['train', '--out', '{w}/x', '--model', 'vgg99'], 2, "argument --model: invalid choice: 'vgg99'"),
    ('AMAT without its threshold', ['train', '--out', '{w}/x', '--method', 'amat'], 2, 'AMAT needs its threshold'),
    ('bench --n-per-class 0', ['bench', '--out', '{w}/b', '--n-per-class', '0'], 2, 'argument --n-per-class: must be ≥ 1'),
    ('reproduce --jobs 0', ['reproduce', '--jobs', '0'], 2, 'argument --jobs: must be ≥ 1'),
    ('reproduce an unknown artifact', ['reproduce', '--out', '{w}/r', '--only', 'table9'], 2, "unknown artifacts ['table9']"),
    ('reproduce an unknown profile', ['reproduce', '--profile', 'huge', '--out', '{w}/r'], 2, "argument --profile: invalid choice: 'huge'"),
    ('profile evaluate.max_per_class "10"', ['reproduce', '--profile', '{w}/mpc.yaml', '--out', '{w}/r1'], 2, 'evaluate.max_per_class'),
    ('profile evaluate.batch_size 0', ['reproduce', '--profile', '{w}/bs.yaml', '--out', '{w}/r2'], 2, 'evaluate.batch_size'),
    ('profile gradcam.per_class -1', ['reproduce', '--profile', '{w}/cam.yaml', '--out', '{w}/r3'], 2, 'gradcam.per_class'),
    ('profile train.eps 0', ['reproduce', '--profile', '{w}/eps0.yaml', '--out', '{w}/r4'], 2, 'eps must be > 0'),
    ('profile models: 5', ['reproduce', '--profile', '{w}/models5.yaml', '--out', '{w}/r6'], 2, 'models must be a list, got 5'),
    ('profile groups as a list', ['reproduce', '--profile', '{w}/groupslist.yaml', '--out', '{w}/r7'], 2, 'groups must be a mapping or null'),
    ('profile seeds_per_call: abc', ['reproduce', '--profile', '{w}/spc.yaml', '--out', '{w}/r8'], 2, "seeds_per_call must be an int or null, got 'abc'"),
    ('split --n-test -5', ['split', '--n-test', '-5', '--out', '{w}/split.csv'], 2, 'argument --n-test: must be ≥ 1, got -5'),
    ('train --image-size 20000', ['train', '--out', '{w}/big', '--image-size', '20000', '--method', 'std'], 2, 'image_size must be ≤ 4096 (MAX_IMAGE_SIZE), got 20000'),
    ('train over a config.json that is a list', ['train', '--out', '{w}/cfglist', *TINY], 2, 'cfglist/config.json does not record a run'),
    ('train over a config.json that is not JSON', ['train', '--out', '{w}/cfgbad', *TINY], 2, 'cfgbad/config.json is not valid JSON'),
    ('train over a config.json with "epochs": "2"', ['train', '--out', '{w}/cfgstr', *TINY], 2, 'cfgstr/config.json does not record a valid run configuration'),
    ('train on a tree with a decompression bomb', ['train', '--out', '{w}/x', '--dataset', 'folder', '--data', '{w}/bombtree', *TINY], 2, 'is too large to open safely'),
    ('reproduce --seeds abc', ['reproduce', '--out', '{w}/r5', '--seeds', 'abc'], 2, "--seeds must be 'all' or seeds separated by commas"),
    # data
    ('check-data on a missing folder', ['check-data', '--data', '{w}/nowhere'], 2, 'nowhere'),
    ('train on a missing data folder', ['train', '--out', '{w}/d', '--data', '{w}/nowhere', *TINY], 2, 'nowhere'),
    ('an unknown command', ['fly'], 2, "invalid choice: 'fly'"),
    ('train on an unknown data set', ['train', '--out', '{w}/x', '--dataset', 'imagenet'], 2, "argument --dataset: invalid choice: 'imagenet'"),
    ('train on a multi-label MedMNIST set', ['train', '--out', '{w}/x', '--dataset', 'medmnist:chestmnist'], 2, 'chestmnist is a multi-label'),
    ('train on an image folder without images', ['train', '--out', '{w}/x', '--dataset', 'folder', '--data', '{w}/emptytree', *TINY], 2, 'no images for the train split'),
    ('train on a folder whose val split lacks a class', ['train', '--out', '{w}/x', '--dataset', 'folder', '--data', '{w}/holetree', *TINY], 2, "the val split has no images of class(es) ['mel']"),
    ('train on a MedMNIST archive without labels', ['train', '--out', '{w}/x', '--dataset', 'medmnist:dermamnist', '--data', '{w}/npz', *TINY], 2, 'has no array train_labels'),
    ('train on a manifest whose test images are also in train', ['train', '--out', '{w}/x', '--manifest', '{w}/leak_manifest.csv', *TINY], 2, '72 image(s) are in more than one split (test/train)'),
    ('train on a manifest with a label that is not a number', ['train', '--out', '{w}/x', '--manifest', '{w}/badlabel.csv', *TINY], 2, 'badlabel.csv could not be read as a CSV table'),
    ('reproduce over a damaged params.json', ['reproduce', '--out', '{w}/rbad', '--quiet'], 2, 'params.json is not valid JSON'),
    ('train on a folder tree with one image in two splits', ['train', '--out', '{w}/x', '--dataset', 'folder', '--data', '{w}/leaktree', *TINY], 2, 'in more than one split'),
    ('evaluate a run on data with other class names', ['evaluate', '--checkpoint', '{w}/folderrun', '--data', '{w}/renamed', '--quiet'], 2, "was trained on 2 classes ['mel', 'nv'], but the test data has 2: ['bkl', 'nv']"),
    ('evaluate a run on data with more classes', ['evaluate', '--checkpoint', '{w}/folderrun', '--data', '{w}/three', '--quiet'], 2, "but the test data has 3: ['mel', 'nv', 'vasc']"),
    ('train on a missing MedMNIST archive', ['train', '--out', '{w}/x', '--dataset', 'medmnist:bloodmnist', '--data', '{w}/npz', *TINY], 2, 'No MedMNIST archive bloodmnist.npz'),
    # segmentation
    ('train segmentation on a mask of another size than its image', ['train', '--out', '{w}/x', *SEG, '--data', '{w}/masksize'], 2, 'which does not match its 150x200 image'),
    ('train segmentation on a mask that is not binary', ['train', '--out', '{w}/x', *SEG, '--data', '{w}/maskgrey'], 2, 'is not binary: it holds 2 grey levels (0, 127)'),
    ('train segmentation on an image without a mask', ['train', '--out', '{w}/x', *SEG, '--data', '{w}/masklack'], 2, '1 image(s) in'),
    ('train segmentation with a classification model', ['train', '--out', '{w}/x', *SEG, '--data', '{w}/isic', '--model', 'small_cnn'], 2, "model small_cnn returns a score per image (B,C), but task 'segmentation' needs (B,C,H,W) logits"),
    ('train classification with a segmentation model', ['train', '--out', '{w}/x', *TINY, '--model', 'unet_small', '--image-size', '32'], 2, "model unet_small returns a score per pixel (B,C,H,W), but task 'classification' needs (B,C) logits"),
    ('train segmentation with MART', ['train', '--out', '{w}/x', *SEG, '--data', '{w}/isic', '--method', 'mart'], 2, "method 'mart' has no per-pixel form"),
    ('train classification on a mask folder', ['train', '--out', '{w}/x', *TINY, '--dataset', 'mask-folder', '--data', '{w}/isic'], 2, 'mask-folder holds images and lesion masks, not class labels'),
    ('train an unknown task', ['train', '--out', '{w}/x', '--task', 'detection'], 2, "argument --task: invalid choice: 'detection'"),
    ('evaluate a classifier with the segmentation attacks', ['evaluate', '--checkpoint', '{w}/run', '--suite', 'seg', '--eps-l2', '0.5', '--eps-linf', '0.01', '--quiet'], 2, '20-SegPGD attacks dense predictions (B,C,H,W), made for segmentation'),
    ('bench segmentation with a classifier', ['bench', '--out', '{w}/b', '--task', 'segmentation', '--models', 'small_cnn'], 2, '--models small_cnn: not segmentation networks, but --task is segmentation'),
]


@pytest.mark.parametrize('name,argv,code,phrase', CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line(w, name, argv, code, phrase):
    got, err = call([str(a).format(w=w) for a in argv])
    assert got == code, (got, err)
    assert phrase in err, err
    assert 'Traceback' not in err and len(err.strip().splitlines()) == 1, err
    assert not (w / 'pwned').exists()  # no checkpoint ran code


def test_a_failed_call_leaves_no_folder_it_made(w):
    "A train that fails before its run begins (here: a val split without a class) leaves no folder holding only its lock."
    got, err = call(['train', '--out', w / 'never', '--dataset', 'folder', '--data', w / 'holetree', *TINY])
    assert got == 2 and 'the val split has no images' in err, err
    assert not (w / 'never').exists(), list((w / 'never').iterdir())
    (w / 'kept').mkdir(); (w / 'kept' / 'notes.txt').write_text('mine')  # a folder the user made is never removed
    got, err = call(['train', '--out', w / 'kept', '--dataset', 'folder', '--data', w / 'holetree', *TINY])
    assert got == 2 and (w / 'kept' / 'notes.txt').exists()


def test_a_link_loop_in_a_folder_tree_is_walked_once(w):
    "train/nv/loop -> .. used to be followed round and round: the nv class got the tree's mel images too, labelled nv."
    from dpaat.data import get_dataset
    ds = get_dataset('folder', w / 'looptree', 'train', 24)
    assert ds.class_counts() == dict(mel=1, nv=1), ds.class_counts()


def test_a_full_disk_names_the_file(w, monkeypatch):
    def full(obj, f, *a, **k): raise OSError(28, 'No space left on device')
    monkeypatch.setattr(torch, 'save', full)
    got, err = call(['train', '--out', w / 'full', '--method', 'std', '--epochs', '1', *TINY])
    assert got == 2 and 'could not write' in err and 'full/last.pt' in err and 'No space left on device' in err and 'is the disk full' in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_a_failed_reproduce_leaves_no_folder_it_made(w):
    "A reproduce refused after its folder check (a bad --seeds) used to leave the empty --out behind."
    got, err = call(['reproduce', '--out', w / 'never_r', '--seeds', 'abc', '--quiet'])
    assert got == 2 and '--seeds must be' in err, err
    assert not (w / 'never_r').exists(), list((w / 'never_r').iterdir())


from dpaat.reproduce import _descendants  # every living process below a pid, from /proc: the one the jobs use on themselves


def _alive(pid):
    try: return 'zombie' not in Path(f'/proc/{pid}/status').read_text()
    except FileNotFoundError: return False


@pytest.mark.skipif(not Path('/proc/self/stat').exists(), reason='finds the processes through /proc (Linux)')
def test_a_killed_reproduce_takes_its_runs_with_it(w):
    """`kill -9` of `dpaat reproduce` used to leave its job controller, job and kernel training on: the next call found the
    run in use. Now every one of them ends within seconds, and the same command then finishes the run."""
    import subprocess, sys, time
    smoke = yaml.safe_load((ROOT / 'dpaat' / 'profiles' / 'smoke.yaml').read_text())
    tiny = {**smoke, 'name': 'killed', 'methods': ['std'], 'variants': None, 'gradcam': {'models': [], 'methods': []},
            'train': {**smoke['train'], 'epochs': 3}, 'evaluate': {**smoke['evaluate'], 'suite': 'clean', 'max_per_class': 2, 'strong': None},
            'calibration': {**smoke['calibration'], 'methods': []}}
    (w / 'killed.yaml').write_text(yaml.safe_dump(tiny, allow_unicode=True))
    cmd = [str(Path(sys.executable).parent / 'dpaat'), 'reproduce', '--profile', str(w / 'killed.yaml'), '--out', str(w / 'killed'), '--only', 'runs', '--quiet']
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    def training():  # the run's kernel is up and working (its progress says more than 'starting kernel')
        from dpaat.files import read_progress
        return any((read_progress(r) or 'starting kernel') != 'starting kernel' for r in (w / 'killed').glob('runs/*'))
    while not (training() and len(_descendants(p.pid)) >= 3) and time.monotonic() - t0 < 300: time.sleep(0.2)
    assert training(), 'the run never started'
    below = _descendants(p.pid)
    assert len(below) >= 3, below  # submitit's controller, the job, the notebook's kernel
    p.kill(); p.wait()
    t0 = time.monotonic()
    while any(map(_alive, below)) and time.monotonic() - t0 < 30: time.sleep(0.2)
    assert not any(map(_alive, below)), [q for q in below if _alive(q)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    import pandas as pd
    s = pd.read_csv(w / 'killed' / 'summary.csv')
    assert s.status.tolist() == ['done'], s.to_string()


@pytest.mark.skipif(not Path('/proc/self/maps').exists(), reason='watches the process load torch through /proc (Linux)')
def test_ctrl_c_while_importing_is_one_line(tmp_path):
    "Ctrl-C in the first second of `dpaat evaluate`, while torch is still importing, used to print a traceback."
    import signal, subprocess, sys, time
    p = subprocess.Popen([str(Path(sys.executable).parent / 'dpaat'), 'evaluate', '--checkpoint', str(tmp_path / 'run')],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()  # Ctrl-C once torch's libraries are loading (the command has started; a signal before Python has
    while time.monotonic() - t0 < 60:  # even imported `dpaat` is Python's own business)
        try:
            if 'libtorch' in Path(f'/proc/{p.pid}/maps').read_text(): break
        except OSError: break
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode in (130, 2), (p.returncode, err)  # 2: the signal came after the missing run was already named
    assert 'Traceback' not in err and len(err.strip().splitlines()) == 1, err


def test_a_torchvision_for_another_torch_is_one_line(tmp_path):
    """pip can mix a local torch with a registry torchvision; every command then died with 30 lines ending in `operator
    torchvision::nms does not exist`. A stand-in torchvision that fails as that one does gets one line saying what to reinstall."""
    import subprocess, sys
    (tmp_path / 'torchvision').mkdir()
    (tmp_path / 'torchvision' / '__init__.py').write_text('raise RuntimeError("operator torchvision::nms does not exist")\n')
    env = {**os.environ, 'PYTHONPATH': str(tmp_path), 'XDG_CACHE_HOME': str(tmp_path / 'cache')}  # no recorded flags: built live
    r = subprocess.run([sys.executable, '-c', 'import sys; from dpaat.cli import main; sys.exit(main())', 'train', '--out', str(tmp_path / 'run')],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert 'does not work with the installed torch' in r.stderr and 'pip install --force-reinstall torch torchvision' in r.stderr, r.stderr
