package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionKind;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading never throws for bad input, and what it returns answers without throwing either. */
class OddInputTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "livcloud = 3",
            "livcloud = null",
            "livcloud = [a, b]",
            "livcloud.plugins = null",
            "livcloud.plugins = [a]",
            "livcloud.plugins.directories = [[a]]",
            "livcloud.migration = null",
            "livcloud.migration = 3",
            "livcloud.migration.hypervisor = { a = b }",
            "livcloud.sites = null",
            "livcloud.sites.paris = null",
            "livcloud.sites.paris.provider = null",
            "livcloud.sites.paris.provider = { a = b }",
            "livcloud.extensions = null",
            "livcloud.extensions.hypervisor = null",
            "livcloud.extensions.hypervisor.kvm = null",
            "livcloud.extensions.hypervisor.kvm.uri = null",
            "livcloud.state-directory = \"\"",
            "livcloud.state-directory = \"a\\u0000b\"",
            "livcloud.log-level = ${livcloud.log-level}",
            "a = ${b}\nb = ${a}",
            "livcloud.log-level = ${?NOTHING}",
            "livcloud.log-level = info\nlivcloud.log-level = ${livcloud.log-level}x",
            "livcloud { log-level = ${livcloud.plugins} }",
            "\"\" = 1",
            "livcloud.\"\" = 1",
            "livcloud.extensions.\"\".\"\" = {}",
            "include \"missing.conf\"",
            "include required(\"missing.conf\")",
    })
    void neverThrows(String content) {
        LivCloudConfig config = load(write(directory, content));

        config.validateExtensions(TestExtensions.SETTINGS, TestExtensions.SITE_SETTINGS);
        config.renderRedacted(TestExtensions.SETTINGS, TestExtensions.SITE_SETTINGS);
        // Typed reads of values validation rejected throw on purpose (see TypesafeExtensionConfigTest).
        config.extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM).has("uri");
        config.siteConfig("paris", TestExtensions.AWS_SITE).has("provider");
        config.originOf("livcloud.sites.paris");
        assertThat(config.logLevel()).isIn(CoreSettings.LOG_LEVELS);
        assertThat(config.stateDirectory()).isNotNull();
        assertThat(config.sites()).isNotNull();
        assertThat(config.selectedExtensions()).isNotNull();
    }
}
