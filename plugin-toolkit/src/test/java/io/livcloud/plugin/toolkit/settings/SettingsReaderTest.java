package io.livcloud.plugin.toolkit.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    private enum TestErrorCode implements ErrorCode {
        INVALID_SETTING;

        @Override
        public String code() {
            return "TEST_" + name();
        }
    }

    private static final TypedSetting<String> NAME = TypedSetting.string("name", "A name.");
    private static final TypedSetting<String> MODE = TypedSetting.oneOf("mode", "A mode.", "fast", "slow").required();
    private static final TypedSetting<Long> COUNT = TypedSetting.integer("count", "A count.", 1, 9);
    private static final TypedSetting<Duration> TIMEOUT = TypedSetting.duration("timeout", "A timeout.");
    private static final TypedSetting<Boolean> ENABLED = TypedSetting.bool("enabled", "Whether.");
    private static final TypedSetting<List<String>> PREFIXES = TypedSetting.stringList("prefixes", "Prefixes.");
    private static final TypedSetting<Path> KEY = TypedSetting.path("key", "A key; absent: one in the work"
            + " directory.").withoutDefault();
    private static final DeclaredSettings SETTINGS = DeclaredSettings.of(NAME, MODE, COUNT, TIMEOUT, ENABLED, PREFIXES,
            KEY);

    private static FakeExtensionConfig section() {
        return new FakeExtensionConfig("livcloud.extensions.provider.test", SETTINGS.declarations(), Map.of(
                "name", "east", "mode", "fast", "count", 3L, "timeout", Duration.ofSeconds(5), "enabled", true,
                "prefixes", List.of()));
    }

    private static SettingsReader reader(FakeExtensionConfig section) {
        return new SettingsReader(section, TestErrorCode.INVALID_SETTING);
    }

    @Test
    void declaresWhatTheHostValidates() {
        assertThat(SETTINGS.declarations()).containsExactly(
                Setting.optional("name", SettingType.STRING, "A name."),
                Setting.oneOf("mode", "A mode.", "fast", "slow").asRequired(),
                Setting.integer("count", "A count.", 1, 9),
                Setting.optional("timeout", SettingType.DURATION, "A timeout."),
                Setting.optional("enabled", SettingType.BOOLEAN, "Whether."),
                Setting.optional("prefixes", SettingType.STRING_LIST, "Prefixes."),
                Setting.optional("key", SettingType.PATH, "A key; absent: one in the work directory."));
        assertThat(KEY.isWithoutDefault()).isTrue();
        assertThat(NAME.isWithoutDefault()).isFalse();
    }

    @Test
    void readsEachTypeFromTheSection() {
        SettingsReader reader = reader(section().with("key", "/keys/id"));

        assertThat(reader.get(NAME)).isEqualTo("east");
        assertThat(reader.get(MODE)).isEqualTo("fast");
        assertThat(reader.get(COUNT)).isEqualTo(3L);
        assertThat(reader.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(reader.get(ENABLED)).isTrue();
        assertThat(reader.get(PREFIXES)).isEmpty();
        assertThat(reader.optional(KEY)).contains(Path.of("/keys/id"));
        assertThat(reader(section()).optional(KEY)).isEmpty();
    }

    @Test
    void aSettingUnsetByTheUserIsAnInvalidSettingNotASecondDefault() {
        assertThatThrownBy(() -> reader(section().with("prefixes", null).withOrigin("livcloud.conf:4")).get(PREFIXES))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TestErrorCode.INVALID_SETTING);
                    assertThat(e.getMessage()).isEqualTo("livcloud.extensions.provider.test.prefixes has no value");
                    assertThat(e.remedy()).contains("remove the null", "reference.conf");
                });
    }

    @Test
    void theReadMustMatchTheDeclaration() {
        assertThatThrownBy(() -> reader(section()).get(KEY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'key'").hasMessageContaining("read it with optional()");
        assertThatThrownBy(() -> reader(section()).optional(NAME)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'name'").hasMessageContaining("read it with get()");
        assertThatThrownBy(() -> KEY.required()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MODE.withoutDefault()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DeclaredSettings.of(NAME, TypedSetting.string("name", "Again.")))
                .hasMessageContaining("'name' is declared twice");
    }

    @Test
    void complaintsNameTheKeyAndWhereItsValueCameFrom() {
        SettingsReader reader = reader(section().withOrigin("livcloud.conf:7"));

        ExtensionException invalid = reader.invalid(COUNT, "is 3, which is odd", "write an even number");

        assertThat(invalid.errorCode()).isEqualTo(TestErrorCode.INVALID_SETTING);
        assertThat(invalid.getMessage()).isEqualTo("livcloud.extensions.provider.test.count (livcloud.conf:7) is 3,"
                + " which is odd");
        assertThat(invalid.remedy()).isEqualTo("write an even number");
        assertThat(reader.qualifiedKey(COUNT)).isEqualTo("livcloud.extensions.provider.test.count");
        assertThat(reader.origin(COUNT)).isEqualTo("livcloud.conf:7");
        assertThat(reader.path()).isEqualTo("livcloud.extensions.provider.test");
    }
}
