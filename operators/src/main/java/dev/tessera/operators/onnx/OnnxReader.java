package dev.tessera.operators.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Parses an {@code .onnx} file without copying its weights onto the heap. The file is memory-mapped
 * and parsed with aliasing on, so every {@code raw_data} field of the parsed messages is a view of
 * the mapped file: a 90 MB model parses in a heap of a few MB plus its graph structure, and the
 * operating system pages the weights in only when they are read.
 */
final class OnnxReader {
    /** protobuf's own ceiling: one message cannot exceed 2 GiB. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    private OnnxReader() {}

    static ModelProto read(Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new InvalidModelException(file + " is a directory, not an ONNX model file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new InvalidModelException(file + " is empty, not an ONNX model");
            }
            if (size > MAX_FILE_BYTES) {
                throw new InvalidModelException(file + " is " + size + " bytes; an ONNX file with its weights inside "
                        + "is limited to 2 GiB (larger models keep their weights in external data files)");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(mapped).newCodedInput();
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            ModelProto model = ModelProto.parseFrom(in);
            checkIsModel(file, model);
            return model;
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("no such file: " + file, e);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException(file + " is not a readable ONNX model (truncated or not ONNX): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Protobuf decodes many byte strings that are not ONNX without complaint (any file whose bytes
     * happen to form valid tags), so a model must also look like one: an IR version, a graph, and an
     * operator set for the default domain.
     */
    private static void checkIsModel(Path file, ModelProto model) {
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getOpsetImportCount() == 0) {
            throw new InvalidModelException(file + " is not an ONNX model: it has no "
                    + (model.getIrVersion() <= 0 ? "IR version" : !model.hasGraph() ? "graph" : "opset import")
                    + " (truncated, or a different kind of file)");
        }
    }
}
