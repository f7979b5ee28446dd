"""What the graph rewrites share: a read-only index of one ONNX graph (producers, consumers, constants) for
matching patterns, node attributes, and swapping in the rewritten node list."""

from typing import Dict, List, Optional

import numpy as np
import onnx
from onnx import helper, numpy_helper

MICROSOFT = "com.microsoft"


def replace_nodes(model: onnx.ModelProto, nodes: List[onnx.NodeProto]) -> None:
    """Makes `nodes` (in topological order) the graph's nodes and declares the contrib-op domain they may use."""
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    if not any(o.domain == MICROSOFT for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MICROSOFT, 1))


class GraphIndex:
    """Producers, consumers and constant values of one ONNX graph, for pattern matching."""

    def __init__(self, graph: onnx.GraphProto):
        self.graph = graph
        self.producer: Dict[str, onnx.NodeProto] = {o: n for n in graph.node for o in n.output}
        self.consumers: Dict[str, List[onnx.NodeProto]] = {}
        for node in graph.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        self.initializers = {t.name: t for t in graph.initializer}
        self.graph_outputs = {o.name for o in graph.output}

    def source(self, name: str) -> str:
        """The value behind a chain of Identity nodes: torch's exporter shares equal initializers (the zero biases
        of a fresh model) that way."""
        while self.node(name, "Identity") is not None:
            name = self.producer[name].input[0]
        return name

    def constant(self, name: str) -> Optional[np.ndarray]:
        name = self.source(name)
        if name in self.initializers:
            return numpy_helper.to_array(self.initializers[name])
        node = self.producer.get(name)
        if node is not None and node.op_type == "Constant":
            for attribute in node.attribute:
                if attribute.name == "value":
                    return numpy_helper.to_array(attribute.t)
        return None

    def node(self, name: str, op_type: str) -> Optional[onnx.NodeProto]:
        node = self.producer.get(name)
        return node if node is not None and node.op_type == op_type else None

    def only_used_by(self, name: str, users: List[onnx.NodeProto]) -> bool:
        """True when `name` feeds exactly these nodes and is not a graph output."""
        found = self.consumers.get(name, [])
        return name not in self.graph_outputs and len(found) == len(users) and \
            all(any(f is u for u in users) for f in found)


def node_attribute(node: onnx.NodeProto, name: str, default=None):
    for attribute in node.attribute:
        if attribute.name == name:
            return helper.get_attribute_value(attribute)
    return default
