"""Dropping nodes and initializers that no graph output depends on (left behind by graph rewrites)."""

import onnx


def remove_unused(model: onnx.ModelProto) -> int:
    """Keep only what the graph outputs need, walking back from them; returns how many nodes were dropped.
    Nodes with subgraphs (If, Loop) are kept whole with everything they read by name."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    needed, stack, kept = set(), [o.name for o in graph.output], set()
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        node = producer.get(name)
        if node is not None and id(node) not in kept:
            kept.add(id(node))
            stack.extend(i for i in node.input if i)
            for attribute in node.attribute:
                for sub in ([attribute.g] if attribute.HasField("g") else []) + list(attribute.graphs):
                    stack.extend(i for n in sub.node for i in n.input if i)
    before = len(graph.node)
    nodes = [n for n in graph.node if id(n) in kept]
    del graph.node[:]
    graph.node.extend(nodes)
    initializers = [t for t in graph.initializer if t.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    # shape annotations of values that no longer exist would only confuse readers of the file
    values = [v for v in graph.value_info if v.name in needed]
    del graph.value_info[:]
    graph.value_info.extend(values)
    return before - len(nodes)
