package dev.tessera.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Writes single-object encoded bytes with any writer schema, the way another producer would. */
final class WireTestSupport {
    private WireTestSupport() {}

    static byte[] writeSingleObject(Schema writer, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fp = SingleObjectCodec.fingerprint(writer);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)));
        }
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(writer).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
