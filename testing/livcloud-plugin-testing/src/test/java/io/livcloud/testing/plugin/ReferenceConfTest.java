package io.livcloud.testing.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.Setting;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelFactory;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceConfTest {

    private static final DeclaredSettings PROVIDER_SETTINGS = DeclaredSettings.of(
            TypedSetting.string("name", "A name."),
            TypedSetting.integer("count", "A count.", 1, 9),
            TypedSetting.duration("timeout", "A timeout."),
            TypedSetting.path("key", "A key; absent: one in the work directory.").withoutDefault());
    private static final DeclaredSettings TUNNEL_SETTINGS = DeclaredSettings.of(
            TypedSetting.oneOf("mode", "A mode.", "fast", "slow"));

    private static final class TestProviderFactory implements CloudProviderFactory {
        private final List<Setting> settings;

        TestProviderFactory(List<Setting> settings) {
            this.settings = settings;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public List<Setting> settings() {
            return settings;
        }

        @Override
        public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class TestTunnelFactory implements TunnelFactory {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public List<Setting> settings() {
            return TUNNEL_SETTINGS.declarations();
        }

        @Override
        public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static URL fixture(String name) {
        return ReferenceConfTest.class.getResource(name);
    }

    @Test
    void aFileAndDeclarationsThatAgreePass() {
        ReferenceConf.at(fixture("agreeing.conf"))
                .and(new TestProviderFactory(PROVIDER_SETTINGS.declarations()), PROVIDER_SETTINGS)
                .and(new TestTunnelFactory(), TUNNEL_SETTINGS)
                .assertAgrees();
    }

    @Test
    void everyDisagreementIsListed() {
        DeclaredSettings moreSettings = DeclaredSettings.of(TypedSetting.string("name", "A name."),
                TypedSetting.integer("count", "A count.", 1, 9), TypedSetting.duration("timeout", "A timeout."),
                TypedSetting.path("key", "A key.").withoutDefault(), TypedSetting.bool("enabled", "Whether."));
        ReferenceConf reference = ReferenceConf.at(fixture("disagreeing.conf"))
                .and(new TestProviderFactory(PROVIDER_SETTINGS.declarations()), moreSettings)
                .and(new TestTunnelFactory(), TUNNEL_SETTINGS);

        assertThat(reference.problems()).satisfiesExactlyInAnyOrder(
                problem -> assertThat(problem).isEqualTo("TestProviderFactory.settings() is not what its"
                        + " DeclaredSettings declare: keys [name, count, timeout, key], declared [name, count,"
                        + " timeout, key, enabled]"),
                problem -> assertThat(problem).contains("livcloud.log-level", "outside its own extensions"),
                problem -> assertThat(problem).contains("livcloud.extensions.provider.test.nmae",
                        "did you mean 'name'?"),
                problem -> assertThat(problem).contains("livcloud.extensions.provider.test.count",
                        "must be between 1 and 9"),
                problem -> assertThat(problem).contains("livcloud.extensions.provider.test.timeout", "duration"),
                problem -> assertThat(problem).contains("livcloud.extensions.tunnel.test.mode", "fast, slow"),
                problem -> assertThat(problem).isEqualTo("livcloud.extensions.provider.test.name has no default in"
                        + " reference.conf; add one there, or declare the setting required() (the user must set it)"
                        + " or withoutDefault() (leaving it out means something)"),
                problem -> assertThat(problem).startsWith("livcloud.extensions.provider.test.key is declared without"
                        + " a default, but reference.conf sets it (reference.conf of plugin under test:5)"),
                problem -> assertThat(problem).startsWith("livcloud.extensions.provider.test.enabled has no"
                        + " default"));
        assertThatThrownBy(reference::assertAgrees).isInstanceOf(AssertionError.class)
                .hasMessageContaining("disagreeing.conf").hasMessageContaining("\n  livcloud.extensions");
    }

    @Test
    void aMissingFileIsAProblem() {
        assertThat(ReferenceConf.at(urlOf("no-such.conf")).and(new TestTunnelFactory()).problems())
                .singleElement().asString().contains("no-such.conf");
    }

    @Test
    void defaultsAreTheFilesValuesTypedAsTheHostReadsThem() {
        ExtensionConfig section = ReferenceConf.defaults(new TestProviderFactory(PROVIDER_SETTINGS.declarations()),
                fixture("agreeing.conf"));

        assertThat(section.path()).isEqualTo("livcloud.extensions.provider.test");
        assertThat(section.string("name")).contains("east");
        assertThat(section.integer("count")).hasValue(3);
        assertThat(section.duration("timeout")).contains(Duration.ofSeconds(5));
        assertThat(section.has("key")).isFalse();
    }

    private static URL urlOf(String name) {
        try {
            return ReferenceConfTest.class.getResource("agreeing.conf").toURI().resolve(name).toURL();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
