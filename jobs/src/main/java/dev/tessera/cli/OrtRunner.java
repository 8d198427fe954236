package dev.tessera.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.reference.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model file on ONNX Runtime (CPU provider) — the numerical oracle of {@code verify}. It lives
 * in the CLI only: the compiler core never depends on ONNX Runtime.
 */
final class OrtRunner {
    private OrtRunner() {}

    /**
     * @param inputs values by input name, with the element type each input has in the model
     * @return every output by name, as floats
     */
    static Map<String, FloatTensor> run(Path model, Map<String, FloatTensor> inputs, Map<String, DType> types) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                    feed.put(e.getKey(), tensor(env, e.getValue(), types.get(e.getKey()), e.getKey()));
                }
                Map<String, FloatTensor> out = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(feed)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        out.put(e.getKey(), floats((OnnxTensor) e.getValue(), e.getKey()));
                    }
                }
                return out;
            }
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot run " + model + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, FloatTensor t, DType type, String name) throws OrtException {
        long[] shape = t.shapeList().stream().mapToLong(Long::longValue).toArray();
        float[] v = t.toArray();
        return switch (type) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
            case INT64 -> {
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = (long) v[i];
                }
                yield OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
            }
            case INT32 -> {
                int[] n = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    n[i] = (int) v[i];
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(n), shape);
            }
            default -> throw new InvalidModelException("verify feeds float32, int64 and int32 inputs; input '" + name
                    + "' is " + type.text());
        };
    }

    private static FloatTensor floats(OnnxTensor t, String name) {
        List<Long> shape = Arrays.stream(t.getInfo().getShape()).boxed().toList();
        float[] v;
        switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                v = new float[b.remaining()];
                b.get(v);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
            }
            default -> throw new InvalidModelException("verify compares float32 and int64 outputs; output '" + name
                    + "' is " + t.getInfo().type);
        }
        return FloatTensor.of(shape, v);
    }
}
