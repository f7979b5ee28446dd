"""Writes the tiny ONNX models the encoder's tests load (encoder/src/test/resources/models/).

Run from anywhere with Debian's Python (onnx 1.12, no torch needed):
    /usr/bin/python3 encoder/src/test/python/make_test_models.py

tiny-valid.onnx is a contract-1 model small enough to compute by hand:
    joints   [batch, T=4, M=2, V=3, 3]
    pooled   = mean over T                    -> [batch, 2, 3, 3] -> reshape [batch, 18]
    embedding = tanh(pooled @ W_e + b_e)      -> [batch, D=5]
    logits    = embedding @ W_l + b_l         -> [batch, K=3]
with weights given by the closed forms below (float32-rounded); TinyModel.java in the tests repeats them.
tiny-valid.fixtures.json holds its outputs for random windows, computed with numpy in the bundled model's fixtures
format, so the parity check itself is tested without the bundled model.
Every other model breaks exactly one rule of the contract; matmul.onnx is a lone MatMul for the benchmark's peak.
"""
import base64
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "models")
T, M, V, D, K = 4, 2, 3, 5, 3
LABELS = ["idle", "wave", "fall"]
OPSET = 13


def embedding_weights():
    """W_e [M*V*3, D], b_e [D]."""
    w = np.array([[((i * 7 + j * 3) % 11 - 5) / 10.0 for j in range(D)] for i in range(M * V * 3)], np.float32)
    b = np.array([(j - 2) / 20.0 for j in range(D)], np.float32)
    return w, b


def logit_weights():
    """W_l [D, K], b_l [K]."""
    w = np.array([[((j * 5 + k * 2) % 7 - 3) / 5.0 for k in range(K)] for j in range(D)], np.float32)
    b = np.array([k / 10.0 - 0.1 for k in range(K)], np.float32)
    return w, b


def metadata(**overrides):
    props = {
        "skelstream.contract": "1",
        "skelstream.layout": "kinect_v1_20",
        "skelstream.frames": str(T),
        "skelstream.persons": str(M),
        "skelstream.fps": "30",
        "skelstream.labels": json.dumps(LABELS),
        "skelstream.objective": "supervised",
        "skelstream.dataset": "encoder-test",
        "skelstream.metrics": json.dumps({"top1": 0.5}),
        "skelstream.created": "2026-11-21T00:00:00Z",
        "skelstream.trainer_version": "test",
    }
    for key, value in overrides.items():
        full = "skelstream." + key
        if value is None:
            props.pop(full, None)
        else:
            props[full] = value
    return props


def tiny_model(props, input_name="joints", input_shape=("batch", T, M, V, 3), input_type=TensorProto.FLOAT,
               logits_name="logits", embedding_name="embedding", labels_k=K):
    w_e, b_e = embedding_weights()
    w_l, b_l = logit_weights()
    if labels_k != K:
        raise ValueError("K is fixed by the weights")
    nodes = []
    source = input_name
    if input_type != TensorProto.FLOAT:
        nodes.append(helper.make_node("Cast", [input_name], ["joints_f32"], to=TensorProto.FLOAT))
        source = "joints_f32"
    nodes += [
        helper.make_node("ReduceMean", [source], ["pooled"], axes=[1], keepdims=0),
        helper.make_node("Reshape", ["pooled", "flat_shape"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w_e"], ["e_mm"]),
        helper.make_node("Add", ["e_mm", "b_e"], ["e_pre"]),
        helper.make_node("Tanh", ["e_pre"], [embedding_name]),
        helper.make_node("MatMul", [embedding_name, "w_l"], ["l_mm"]),
        helper.make_node("Add", ["l_mm", "b_l"], [logits_name]),
    ]
    initializers = [
        numpy_helper.from_array(np.array([0, -1], np.int64), "flat_shape"),
        numpy_helper.from_array(w_e, "w_e"), numpy_helper.from_array(b_e, "b_e"),
        numpy_helper.from_array(w_l, "w_l"), numpy_helper.from_array(b_l, "b_l"),
    ]
    batch = input_shape[0]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info(input_name, input_type, list(input_shape))],
        [helper.make_tensor_value_info(logits_name, TensorProto.FLOAT, [batch, K]),
         helper.make_tensor_value_info(embedding_name, TensorProto.FLOAT, [batch, D])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="skelstream-test")
    model.ir_version = 8
    helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model


def matmul_model():
    """C[m, n] = A[m, k] @ B[k, n]: one op, so ONNX Runtime's time on it is its matmul peak on this machine."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["m", "k"]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, ["k", "n"])],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, ["m", "n"])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="skelstream-test")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


MODELS = {
    "tiny-valid": lambda: tiny_model(metadata()),
    "tiny-named": lambda: tiny_model(metadata(name="tiny-with-a-name", joints=str(V))),
    "contract-2": lambda: tiny_model(metadata(contract="2")),
    "no-contract": lambda: tiny_model(metadata(contract=None)),
    "missing-metadata": lambda: tiny_model(metadata(fps=None, labels=None)),
    "wrong-input-name": lambda: tiny_model(metadata(), input_name="pose"),
    "wrong-input-type": lambda: tiny_model(metadata(), input_type=TensorProto.DOUBLE),
    "t-mismatch": lambda: tiny_model(metadata(frames="8")),
    "wrong-rank": lambda: tiny_model(metadata(), input_shape=("batch", T, M * V, 3)),
    "dynamic-t": lambda: tiny_model(metadata(), input_shape=("batch", "T", M, V, 3)),
    "fixed-batch": lambda: tiny_model(metadata(), input_shape=(1, T, M, V, 3)),
    "label-count-mismatch": lambda: tiny_model(metadata(labels=json.dumps(LABELS + ["sit"]))),
    "malformed-labels": lambda: tiny_model(metadata(labels='["idle", "wave", "fall"')),
    "wrong-output-names": lambda: tiny_model(metadata(), logits_name="scores", embedding_name="features"),
    "matmul": matmul_model,
}


def tiny_forward(joints):
    """Reference outputs of tiny-valid.onnx in float64: joints [B, T, M, V, 3] -> (logits [B, K], embedding [B, D])."""
    w_e, b_e = embedding_weights()
    w_l, b_l = logit_weights()
    pooled = joints.astype(np.float64).mean(axis=1).reshape(len(joints), -1)
    embedding = np.tanh(pooled @ w_e.astype(np.float64) + b_e)
    return embedding @ w_l.astype(np.float64) + b_l, embedding


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def tiny_fixtures():
    """Parity fixtures for tiny-valid.onnx in the bundled model's fixtures.json format, computed with numpy."""
    rng = np.random.default_rng(5)
    cases = []
    for name, batch in [("single", 1), ("batch-of-7", 7)]:
        joints = rng.normal(0.0, 0.8, size=(batch, T, M, V, 3)).astype(np.float32)
        joints[0, :, 1] = 0.0  # the second person absent in the first window
        logits, embedding = tiny_forward(joints)
        cases.append({"name": name, "shape": list(joints.shape), "joints": b64(joints),
                      "logits": b64(logits), "embedding": b64(embedding)})
    return {"model": "tiny-valid.onnx", "tolerance": 1e-4, "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in MODELS.items():
        path = os.path.join(OUT, name + ".onnx")
        onnx.save(make(), path)
        print("wrote", os.path.normpath(path))
    path = os.path.join(OUT, "tiny-valid.fixtures.json")
    with open(path, "w") as out:
        json.dump(tiny_fixtures(), out, indent=1)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
