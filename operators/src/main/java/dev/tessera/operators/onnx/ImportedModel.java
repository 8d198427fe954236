package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.reference.WeightSource;

/**
 * An imported ONNX model: the graph (every tensor with a concrete shape) and its weights, read
 * lazily from the model file.
 *
 * @param graph        tensors and nodes in the graph IR; node attributes in the canonical forms
 *                     documented on {@link OpConverter}
 * @param weights      the values of every {@code WEIGHT} tensor of the graph
 * @param opsetVersion the default-domain operator set the file declares
 * @param producer     producer name and version from the file, e.g. {@code pytorch 2.1}
 */
public record ImportedModel(Graph graph, WeightSource weights, long opsetVersion, String producer) {}
