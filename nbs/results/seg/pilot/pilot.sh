#!/usr/bin/env bash
# The segmentation pilot that chose the seg profile's budget and ε (one core each, seed 0, 20 epochs, no early stopping):
#   pilot.sh METHOD EPS [--val-robust|--no-val-robust]      -> unet_small-METHOD/
# then STD's ε sweep on the first 30 validation images of each diagnosis (20-PGD-L2 and 10-IFGSM; calibration.csv) and the
# strong column's six losses one by one on the first 5 of each (printed):
#   python sweep.py unet_small-std cal1.csv 30 ; python sweep.py unet_small-std cal2.csv 30 3,4,6,8,12 16,24,32
#   (the two, with model, method, seed and split columns added, are unet_small-std/calibration.csv)
#   python sea_parts.py 5 4 20 unet_small-std ; python sea_parts.py 5 4 20 unet_small-at
# (SEA6 whole, the worst of the six per image, at ε = 4 and 12: SegStrongAttack(eps, steps=20) through dpaat.evaluate.evaluate)
# Run: ./pilot.sh std 0.5 --no-val-robust (ε is not used by STD); ./pilot.sh at 4; ./pilot.sh dpaat 4
# (DPAAT was stopped after 15 of its 20 epochs at the end of the session that ran it; its curve had levelled off by epoch 8)
M=$1; E=$2; VR=${3:---val-robust}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
dpaat train --task segmentation --model unet_small --dataset ham10000-7 --image-size 64 --method $M --eps $E \
  --epochs 20 --patience none --monitor last --max-per-class 300 --lr 1e-3 $VR --out unet_small-$M --quiet
