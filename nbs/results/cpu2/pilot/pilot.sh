#!/bin/bash
# one lane of the learning-curve pilot: 20 epochs, no early stopping, seed 0, the cpu profile's settings otherwise
export OMP_NUM_THREADS=1
for spec in "$@"; do
  model=${spec%:*}; method=${spec#*:}
  dpaat train --method $method --model $model --image-size 32 --epochs 20 --patience none --eps 0.5 --channels-last \
     --data /work/shared/data --out /work/pilot/$model-$method --quiet --resume > /work/pilot/$model-$method.log 2>&1
  echo "$(date +%T) $model $method rc=$?" >> /work/pilot/lanes.log
done
