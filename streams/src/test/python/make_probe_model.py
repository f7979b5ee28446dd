"""Writes streams/src/test/resources/io/skelstream/streams/topology/probe-ntu25.onnx, the contract-1 model the topology tests run.

Run with Debian's Python (onnx 1.12):  /usr/bin/python3 streams/src/test/python/make_probe_model.py

The model is a probe whose answer a test can predict exactly from the window it was given:
    joints   [batch, T=8, M=2, V=25, 3]  (ntu25, 30 fps)
    mean     = mean over T                           -> [batch, M*V*3 = 150]
    logits   = mean @ W, W one-hot                   -> [batch, K=4]
        idle  = mean x of person 0, SpineBase     (ntu25 joint 0)
        wave  = mean x of person 0, SpineMid      (ntu25 joint 1)
        reach = mean x of person 0, SpineShoulder (ntu25 joint 20; kinect_v1_20 ShoulderCenter maps here)
        pair  = mean x of person 1, SpineBase     (the second, nearest other person)
    embedding = mean @ W[:, :2]                      -> [batch, D=2]
So a frame with x = 10 on one of those joints makes that label win with probability ~1, equal values give 1/4 each,
and a linear ramp in time reveals exactly which times the window was resampled at.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io", "skelstream", "streams", "topology", "probe-ntu25.onnx")
T, M, V, K, D = 8, 2, 25, 4, 2
LABELS = ["idle", "wave", "reach", "pair"]
PROBES = [(0, 0), (0, 1), (0, 20), (1, 0)]  # (person, joint) whose x feeds each logit


def main():
    w = np.zeros((M * V * 3, K), np.float32)
    for k, (person, joint) in enumerate(PROBES):
        w[(person * V + joint) * 3 + 0, k] = 1.0
    nodes = [
        helper.make_node("ReduceMean", ["joints"], ["pooled"], axes=[1], keepdims=0),
        helper.make_node("Reshape", ["pooled", "flat_shape"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w"], ["logits"]),
        helper.make_node("MatMul", ["flat", "w_e"], ["embedding"]),
    ]
    initializers = [
        numpy_helper.from_array(np.array([0, -1], np.int64), "flat_shape"),
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(np.ascontiguousarray(w[:, :D]), "w_e"),
    ]
    graph = helper.make_graph(
        nodes, "probe",
        [helper.make_tensor_value_info("joints", TensorProto.FLOAT, ["batch", T, M, V, 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", K]),
         helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", D])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="skelstream-test")
    model.ir_version = 8
    helper.set_model_props(model, {
        "skelstream.contract": "1",
        "skelstream.name": "probe-ntu25",
        "skelstream.layout": "ntu25",
        "skelstream.frames": str(T),
        "skelstream.persons": str(M),
        "skelstream.fps": "30",
        "skelstream.labels": json.dumps(LABELS),
        "skelstream.objective": "supervised",
        "skelstream.dataset": "streams-test",
        "skelstream.metrics": json.dumps({}),
        "skelstream.created": "2026-11-21T00:00:00Z",
        "skelstream.trainer_version": "test",
    })
    onnx.checker.check_model(model)
    onnx.save(model, OUT)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
