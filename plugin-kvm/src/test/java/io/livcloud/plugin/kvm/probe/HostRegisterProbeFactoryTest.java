package io.livcloud.plugin.kvm.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.RegisterProbe;
import io.livcloud.testing.plugin.ReferenceConf;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.TestingExtensionContext;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostRegisterProbeFactoryTest {

    /** The section with reference.conf's defaults. */
    static FakeExtensionConfig defaults() {
        return ReferenceConf.defaults(new HostRegisterProbeFactory()).withOrigin("reference.conf:4");
    }

    @Test
    void defaultsGiveNoFunctionalTestAndTheReportSaysSo(@TempDir Path temporary) {
        HostRegisterProbeFactory factory = new HostRegisterProbeFactory(
                () -> FixtureHost.inspect("pvm-host", temporary));

        assertThat(factory.name()).isEqualTo("host");
        assertThat(HostProbeConfig.from(defaults()).functionalTestKernel()).isEmpty();
        try (RegisterProbe probe = factory.create(defaults(), new TestingExtensionContext("kvm"))) {
            ProbeReport report = probe.probe(new ProbeRequest(true, Duration.ofSeconds(5)));
            assertThat(report.evidence()).anyMatch(e -> e.item().equals("functional test")
                    && e.value().equals("unavailable"));
        }
    }

    @Test
    void aNonPositiveTimeoutIsRejectedWithItsOrigin() {
        assertThatThrownBy(() -> HostProbeConfig.from(
                defaults().with(HostProbeConfig.FUNCTIONAL_TEST_TIMEOUT.key(), Duration.ZERO)))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("functional-test-timeout")
                .hasMessageContaining("reference.conf:4");
    }
}
