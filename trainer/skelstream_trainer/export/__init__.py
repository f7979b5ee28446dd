"""ONNX export per DESIGN.md contract 1, its metadata, and the parity fixtures."""

from .fixtures import decode_floats, encode_floats, read_fixtures, write_fixtures
from .onnx_export import CONTRACT, OPSET, export_onnx

__all__ = ["CONTRACT", "OPSET", "export_onnx", "write_fixtures", "read_fixtures", "encode_floats", "decode_floats"]
