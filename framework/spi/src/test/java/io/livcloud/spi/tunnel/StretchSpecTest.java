package io.livcloud.spi.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StretchSpecTest {

    @Test
    void aSegmentsNetworkIdIsStableAndInVxlansRange() {
        int lab = StretchSpec.networkIdOf("lab");

        assertThat(lab).isEqualTo(StretchSpec.networkIdOf("lab")).isBetween(1, StretchSpec.MAX_NETWORK_ID);
        assertThat(StretchSpec.networkIdOf("production")).isNotEqualTo(lab).isBetween(1, StretchSpec.MAX_NETWORK_ID);
        // A name whose hash is 0 still gets an id VXLAN accepts (0 is not one).
        assertThat(StretchSpec.networkIdOf("")).isEqualTo(1);
    }

    @Test
    void refusesWhatVxlanCannotCarry() {
        assertThatThrownBy(() -> new StretchSpec("lab", 0, 1350)).hasMessageContaining("network id 0");
        assertThatThrownBy(() -> new StretchSpec("lab", 1, 9001)).hasMessageContaining("MTU 9001");
        assertThatThrownBy(() -> new StretchSpec(" ", 1, 1350)).hasMessageContaining("blank");
    }
}
