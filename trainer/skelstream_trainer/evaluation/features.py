"""Running a classifier over a dataset: embeddings or logits, batched, without gradients."""

from typing import Tuple

import torch
from tqdm import tqdm


def _windows(batch: torch.Tensor) -> Tuple[torch.Tensor, int]:
    """Test datasets may give [B, crops, T, M, V, 3]: flatten crops into the batch."""
    if batch.dim() == 6:
        return batch.flatten(0, 1), batch.shape[1]
    return batch, 1


@torch.no_grad()
def embed_dataset(classifier, loader, device, desc: str = "embed") -> Tuple[torch.Tensor, torch.Tensor]:
    """-> embeddings [N, D] (mean over crops), labels [N] (-1 = unlabelled), on the CPU."""
    classifier.eval()
    out, labels = [], []
    for windows, y in tqdm(loader, desc=desc, leave=False, dynamic_ncols=True):
        flat, crops = _windows(windows)
        emb = classifier.embed(flat.to(device)).float()
        out.append(emb.reshape(-1, crops, emb.shape[-1]).mean(1).cpu())
        labels.append(y)
    return torch.cat(out), torch.cat(labels)


@torch.no_grad()
def predict_dataset(classifier, loader, device, desc: str = "predict") -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """-> logits [N, K] (mean over crops), embeddings [N, D], labels [N], on the CPU."""
    classifier.eval()
    logits, embeddings, labels = [], [], []
    for windows, y in tqdm(loader, desc=desc, leave=False, dynamic_ncols=True):
        flat, crops = _windows(windows)
        lg, emb = classifier(flat.to(device))
        logits.append(lg.float().reshape(-1, crops, lg.shape[-1]).mean(1).cpu())
        embeddings.append(emb.float().reshape(-1, crops, emb.shape[-1]).mean(1).cpu())
        labels.append(y)
    return torch.cat(logits), torch.cat(embeddings), torch.cat(labels)
