package dev.tessera.operators.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tessera.operators.reference.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a model file on ONNX Runtime (CPU) with float inputs and returns its float outputs by name. */
final class OrtOracle {
    private OrtOracle() {}

    static Map<String, FloatTensor> run(Path model, Map<String, FloatTensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                        long[] shape = e.getValue().shapeList().stream().mapToLong(Long::longValue).toArray();
                        feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().toArray()), shape));
                    }
                    Map<String, FloatTensor> out = new LinkedHashMap<>();
                    try (OrtSession.Result result = session.run(feed)) {
                        for (Map.Entry<String, OnnxValue> e : result) {
                            OnnxTensor t = (OnnxTensor) e.getValue();
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] values = new float[fb.remaining()];
                            fb.get(values);
                            List<Long> shape = java.util.Arrays.stream(t.getInfo().getShape()).boxed().toList();
                            out.put(e.getKey(), FloatTensor.of(shape, values));
                        }
                    }
                    return out;
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
