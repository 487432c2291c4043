import sys, torch
from dpaat.evaluate import load_run, SegStrongAttack
from dpaat.tasks import mask_dice, dice_ce_loss
from torch.utils.data import DataLoader
model, cfg, ds = load_run(sys.argv[4] if len(sys.argv) > 4 else 'unet_small-std', split='val', max_per_class=int(sys.argv[1]))
x, y = map(torch.stack, zip(*[(a, b) for a, b, *_ in ds]))
model.eval()
for e in [float(v) for v in sys.argv[2].split(',')]:
    sea = SegStrongAttack(eps=e, steps=int(sys.argv[3]))
    torch.manual_seed(0)
    out = []
    for name, atk in sea.losses(dice_ce_loss):
        xa = atk(model, x, y)
        with torch.no_grad(): out.append(f'{name} {mask_dice(model(xa), y).mean():.3f}')
    print(e, ' | '.join(out), flush=True)
