#!/usr/bin/python3
"""Checks a run's model.onnx with Debian's python3-onnx, independently of the JVM that wrote it.

  .ci/check_onnx.py RUN_DIR [FASHION_MNIST_DIR]

1. onnx.checker.check_model(full_check=True): the graph is valid ONNX with its declared opset and types.
2. run.json lists the file with its SHA-256.
3. The graph, evaluated here with numpy (python3-onnx 1.12 has no evaluator: its five operator kinds are a few lines
   each), takes raw 0-255 test pixels and predicts the classes the run's own predictions.csv holds (DL4J's).
"""
import csv
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def forward(model, features):
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values[model.graph.input[0].name] = features
    for node in model.graph.node:
        x = [values[name] for name in node.input]
        if node.op_type == "Div":
            y = x[0] / x[1]
        elif node.op_type == "Gemm":
            y = x[0] @ x[1] + x[2]
        elif node.op_type == "Relu":
            y = np.maximum(x[0], 0)
        elif node.op_type == "Sigmoid":
            y = 1 / (1 + np.exp(-x[0]))
        elif node.op_type == "Tanh":
            y = np.tanh(x[0])
        elif node.op_type == "Softmax":
            e = np.exp(x[0] - x[0].max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
        else:
            sys.exit(f"error: unexpected operator {node.op_type} in the graph")
        values[node.output[0]] = y.astype(np.float32)
    return {output.name: values[output.name] for output in model.graph.output}


def main():
    run = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("FASHION_MNIST_DIR",
                                                                 "/usr/share/datasets/fashion-mnist")
    path = os.path.join(run, "model.onnx")
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    metadata = {p.key: p.value for p in model.metadata_props}
    listed = json.load(open(os.path.join(run, "run.json")))["onnx"]
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    assert listed["sha256"] == digest, f"run.json lists {listed['sha256']}, the file is {digest}"
    assert metadata["input"] == "pixels", metadata

    with gzip.open(os.path.join(data, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with open(os.path.join(run, "predictions.csv")) as f:
        expected = [int(row["predicted_label"]) for row in csv.DictReader(f)]
    outputs = forward(model, images[:len(expected)].astype(np.float32))
    predicted = outputs["probabilities"].argmax(axis=1)
    agree = int((predicted == np.array(expected)).sum())
    # float32 sums in another order may flip a near-tie: allow one in a thousand
    assert agree >= len(expected) * 0.999, f"{agree} of {len(expected)} classes agree"
    print(f"{path}: valid ONNX (opset {model.opset_import[0].version}, IR {model.ir_version}, layers"
          f" {metadata['layers']}); SHA-256 as listed; {agree} of {len(expected)} test images classified as DL4J did")


if __name__ == "__main__":
    main()
