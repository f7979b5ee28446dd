"""SkelStream trainer: skeleton datasets, masked pre-training, probe/fine-tune and ONNX export."""

__version__ = "0.1.0"
