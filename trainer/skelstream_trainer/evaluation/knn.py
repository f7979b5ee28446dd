"""k-nearest-neighbour accuracy on embeddings: how well classes cluster without any head."""

import torch
import torch.nn.functional as F


def knn_accuracy(train_emb: torch.Tensor, train_labels: torch.Tensor, test_emb: torch.Tensor,
                 test_labels: torch.Tensor, k: int = 10, temperature: float = 0.07) -> float:
    """Cosine similarity, k neighbours voting with weight exp(sim / temperature) (as DINO's
    kNN monitor). Embeddings [N, D], labels [N]; returns top-1 as a fraction."""
    if len(test_labels) == 0 or len(train_labels) == 0:
        return 0.0
    num_classes = int(max(train_labels.max(), test_labels.max())) + 1
    train_n = F.normalize(train_emb.float(), dim=1)
    test_n = F.normalize(test_emb.float(), dim=1)
    k = min(k, len(train_labels))
    correct = 0
    for start in range(0, len(test_labels), 1024):
        sim = test_n[start:start + 1024] @ train_n.T
        top_sim, top_idx = sim.topk(k, dim=1)
        votes = torch.zeros(sim.shape[0], num_classes)
        votes.scatter_add_(1, train_labels[top_idx], (top_sim / temperature).exp())
        correct += int((votes.argmax(1) == test_labels[start:start + 1024]).sum())
    return correct / len(test_labels)
