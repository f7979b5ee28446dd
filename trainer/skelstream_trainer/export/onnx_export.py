"""Exporting a classifier to ONNX, contract 1 of DESIGN.md.

Input `joints` float32 [batch, T, M, V, 3] (only batch dynamic), outputs `logits` [batch, K]
and `embedding` [batch, D]; spatial normalisation is inside the graph; metadata_props carry
skelstream.contract=1, layout, frames, persons, fps, labels (JSON), objective, dataset,
metrics (JSON), created, trainer_version.

After tracing, the graph is rewritten for ONNX Runtime where a known pattern is found
(inference_graph.optimise_for_onnx_runtime: residual Add + LayerNorm -> com.microsoft
SkipLayerNormalization, written-out self-attention -> com.microsoft Attention); a model without
such a pattern exports as traced. The default-domain opset stays 17.
"""

import inspect
import io
import json
import time
import warnings
from pathlib import Path
from typing import Any, Dict

import onnx
import torch

from .. import __version__
from .inference_graph import optimise_for_onnx_runtime

CONTRACT = 1
OPSET = 17
INPUT = "joints"
OUTPUTS = ("logits", "embedding")


class ExportError(RuntimeError):
    """The exported graph does not meet the model contract."""


def contract_metadata(spec: Dict[str, Any], metrics: Dict[str, Any]) -> Dict[str, str]:
    return {"skelstream.contract": str(CONTRACT), "skelstream.layout": spec["layout"],
            "skelstream.frames": str(spec["frames"]), "skelstream.persons": str(spec["persons"]),
            "skelstream.fps": _number(spec["fps"]), "skelstream.labels": json.dumps(list(spec["labels"])),
            "skelstream.objective": spec.get("objective") or "", "skelstream.dataset": spec.get("dataset") or "",
            "skelstream.metrics": json.dumps(metrics, sort_keys=True),
            "skelstream.created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "skelstream.trainer_version": __version__}


def _number(value: float) -> str:
    """15.0 -> "15", 29.97 -> "29.97" (what a Java parser and a human both expect)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def export_onnx(classifier: torch.nn.Module, spec: Dict[str, Any], path: Path,
                metrics: Dict[str, Any], optimise: bool = True) -> onnx.ModelProto:
    """Trace the classifier in eval mode on CPU, rewrite it for ONNX Runtime (unless optimise=False),
    add metadata, check, write. Returns the model."""
    classifier = classifier.cpu().eval()
    example = torch.zeros(2, spec["frames"], spec["persons"], len(_joints(spec)), 3)
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns about prim::Constant shape inference on every export; the contract
        # check below verifies the shapes that matter
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(classifier, (example,), buffer, input_names=[INPUT], output_names=list(OUTPUTS),
                          dynamic_axes={INPUT: {0: "batch"}, OUTPUTS[0]: {0: "batch"}, OUTPUTS[1]: {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=True, **_torchscript_exporter())
    model = onnx.load_from_string(buffer.getvalue())
    if optimise:
        optimise_for_onnx_runtime(model)
    # the tracer leaves some output dims symbolic; the contract fixes all but batch
    out_dims = {OUTPUTS[0]: len(spec["labels"]), OUTPUTS[1]: classifier.backbone.embed_dim}
    for output in model.graph.output:
        dims = output.type.tensor_type.shape.dim
        dims[0].dim_param = "batch"
        dims[1].dim_value = out_dims[output.name]
    model.producer_name = "skelstream-trainer"
    model.producer_version = __version__
    model.doc_string = "SkelStream action encoder (contract 1): joints [batch,T,M,V,3] -> logits, embedding"
    for key, value in contract_metadata(spec, metrics).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model, full_check=True)
    check_contract(model, spec)
    Path(path).write_bytes(model.SerializeToString())
    return model


def _torchscript_exporter() -> Dict[str, Any]:
    """PyTorch >= 2.5 has a second (dynamo) exporter, the default from 2.9; the graph this
    contract was checked with comes from the TorchScript one, so ask for it by name."""
    return {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def _joints(spec):
    from ..layouts import get_layout
    return get_layout(spec["layout"]).joints


def _dims(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check_contract(model: onnx.ModelProto, spec: Dict[str, Any]) -> None:
    """Names, ranks, static dims and metadata keys exactly as contract 1 says."""
    graph = model.graph
    inputs = [i for i in graph.input if i.name not in {t.name for t in graph.initializer}]
    if [i.name for i in inputs] != [INPUT]:
        raise ExportError(f"graph inputs are {[i.name for i in inputs]}, contract 1 wants [{INPUT!r}]")
    expected_in = ["batch", spec["frames"], spec["persons"], len(_joints(spec)), 3]
    if _dims(inputs[0]) != expected_in:
        raise ExportError(f"input dims {_dims(inputs[0])}, expected {expected_in}")
    if [o.name for o in graph.output] != list(OUTPUTS):
        raise ExportError(f"graph outputs are {[o.name for o in graph.output]}, expected {list(OUTPUTS)}")
    if _dims(graph.output[0]) != ["batch", len(spec["labels"])]:
        raise ExportError(f"logits dims {_dims(graph.output[0])}, expected ['batch', {len(spec['labels'])}]")
    if len(_dims(graph.output[1])) != 2 or not isinstance(_dims(graph.output[1])[1], int):
        raise ExportError(f"embedding dims {_dims(graph.output[1])}, expected ['batch', D]")
    if [o.type.tensor_type.elem_type for o in graph.output] != [onnx.TensorProto.FLOAT] * 2 or \
            inputs[0].type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise ExportError("inputs and outputs must be float32")
    default_domain = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if default_domain != [OPSET]:
        raise ExportError(f"opset {default_domain}, contract wants {OPSET}")
    keys = {p.key for p in model.metadata_props}
    missing = {k for k in contract_metadata(spec, {})} - keys
    if missing:
        raise ExportError(f"metadata keys missing: {sorted(missing)}")
