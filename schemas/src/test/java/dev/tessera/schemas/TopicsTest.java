package dev.tessera.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void everyTopicOfThePipelineIsALegalDistinctName() {
        assertThat(Topics.ALL).doesNotHaveDuplicates().allSatisfy(Topics::requireValidName);
        assertThat(Topics.ALL).containsAll(Topics.OUTPUTS).doesNotContainNull();
        assertThat(Topics.OUTPUTS).doesNotContain(Topics.MODEL_GRAPHS);
    }

    @Test
    void rejectsIllegalNamesSayingWhy() {
        assertThatThrownBy(() -> Topics.requireValidName("models/in"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/' at 6");
        assertThatThrownBy(() -> Topics.requireValidName("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Topics.requireValidName("..")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Topics.requireValidName("x".repeat(250))).hasMessageContaining("249");
    }
}
