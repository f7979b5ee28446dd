"""Measuring an encoder: embeddings, top-k accuracy, confusion matrices, kNN retrieval."""

from .features import embed_dataset, predict_dataset
from .knn import knn_accuracy
from .metrics import classification_metrics, confusion_matrix, topk_accuracy
from .plots import save_confusion_png

__all__ = ["embed_dataset", "predict_dataset", "knn_accuracy", "classification_metrics",
           "confusion_matrix", "topk_accuracy", "save_confusion_png"]
