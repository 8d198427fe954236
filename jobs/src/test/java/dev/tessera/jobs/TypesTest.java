package dev.tessera.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.records.Inbound;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/** What crosses an operator boundary is serialized by Flink's POJO or Avro serializers, never Kryo. */
class TypesTest {
    @Test
    void theRecordsBetweenOperatorsArePojosWithoutGenericFields() {
        TypeInformation<CompileRequest> request = TypeInformation.of(CompileRequest.class);
        assertThat(request).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<CompileRequest> pojo = (PojoTypeInfo<CompileRequest>) request;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("event"))).isInstanceOf(AvroTypeInfo.class);
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("source"))).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(Inbound.class)).isInstanceOf(PojoTypeInfo.class);

        // With generic types disabled, creating a serializer fails if any field would need Kryo.
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false);
        assertThat(request.createSerializer(noGenerics)).isNotNull();
        assertThat(TypeInformation.of(Inbound.class).createSerializer(noGenerics)).isNotNull();
    }
}
