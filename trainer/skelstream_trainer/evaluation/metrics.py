"""Top-k accuracy and confusion matrices (fractions, not percentages)."""

from typing import Dict, Sequence

import torch


def topk_accuracy(logits: torch.Tensor, labels: torch.Tensor, k: int) -> float:
    """logits [N, K], labels [N] -> fraction of rows whose label is among the k best."""
    k = min(k, logits.shape[1])
    best = logits.topk(k, dim=1).indices
    return float((best == labels[:, None]).any(dim=1).float().mean()) if len(labels) else 0.0


def confusion_matrix(predicted: torch.Tensor, labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[K, K] counts; row = true class, column = predicted class."""
    matrix = torch.zeros(num_classes, num_classes, dtype=torch.int64)
    matrix.index_put_((labels, predicted), torch.ones_like(labels), accumulate=True)
    return matrix


def classification_metrics(logits: torch.Tensor, labels: torch.Tensor, class_names: Sequence[str]) -> Dict:
    """top1, top5, per-class recall and the confusion matrix, JSON-able."""
    matrix = confusion_matrix(logits.argmax(1), labels, len(class_names))
    support = matrix.sum(1)
    recall = {name: (float(matrix[i, i]) / float(support[i]) if support[i] else None)
              for i, name in enumerate(class_names)}
    return {"top1": topk_accuracy(logits, labels, 1), "top5": topk_accuracy(logits, labels, 5),
            "samples": int(len(labels)), "per_class_recall": recall, "confusion_matrix": matrix.tolist()}
