"""One small training run through the API, for tests/test_distributed.py: `python ddp_job.py METHOD BATCH OUT [NET]`, alone or
under `torchrun`; each process saves its final weights, per-sample state and log to OUT/rank<r>.pt.

NET 'plain' is a network without BatchNorm: on CPU, BatchNorm normalises each process's part of the batch (SyncBatchNorm needs
a GPU), so only a network without it can train, under gloo, exactly as one process with the global batch does."""
import os, sys
import torch
from torch import nn
from dpaat.train import train

method, batch, out, net = sys.argv[1], int(sys.argv[2]), sys.argv[3], (sys.argv[4] if len(sys.argv) > 4 else 'small_cnn')


def plain():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))


r = train(method=method, model=plain() if net == 'plain' else net, image_size=32, epochs=2, max_per_class=16, batch_size=batch,
          eps=0.5, lr=3e-3, augment=False, val_robust=False, progress=False, device='cpu',
          **(dict(amat_xi=1.2) if method == 'amat' else {}))
torch.save(dict(model=r.model.state_dict(), policy=r.policy.state_dict() if r.policy is not None else {},
                log=r.log.to_dict('list')), f"{out}/rank{os.environ.get('RANK', '0')}.pt")
