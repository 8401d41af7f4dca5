/**
 * The trained network leaves Spark and the JVM: {@link dev.fashiontrainer.export.OnnxExport} writes it as an ONNX
 * graph (dense layers as {@code Gemm}, the hidden nonlinearity, a softmax; pixels scaled inside the graph) that ONNX
 * Runtime runs from Java, Python, C# or C++, and {@link dev.fashiontrainer.export.OnnxScorer} runs such a file here.
 * The protobuf messages are the ONNX classes that ND4J ships for its own ONNX import ({@code onnx.Onnx}).
 */
package dev.fashiontrainer.export;
