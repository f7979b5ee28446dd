"""Training loops, one short file each: pretrain, probe (frozen features), finetune."""
