package io.livcloud.plugin.kvm.probe;

import io.livcloud.plugin.kvm.KvmErrorCode;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host probe's settings ({@code livcloud.extensions.register-probe.host}); defaults in {@code reference.conf}.
 *
 * @param functionalTestKernel the kernel the functional test boots; empty: no functional test
 * @param functionalTestInitrd its initramfs, whose user space prints {@link QemuGuestBoot#USER_SPACE_LINE}
 * @param functionalTestTimeout the timeout used when a request gives none (zero)
 * @param qemuBinary the emulator the functional test starts
 */
public record HostProbeConfig(Optional<Path> functionalTestKernel, Optional<Path> functionalTestInitrd,
        Duration functionalTestTimeout, String qemuBinary) {

    public static final String FUNCTIONAL_TEST_KERNEL = "functional-test-kernel";
    public static final String FUNCTIONAL_TEST_INITRD = "functional-test-initrd";
    public static final String FUNCTIONAL_TEST_TIMEOUT = "functional-test-timeout";
    public static final String QEMU_BINARY = "qemu-binary";

    public HostProbeConfig {
        Objects.requireNonNull(functionalTestKernel, "functionalTestKernel is null");
        Objects.requireNonNull(functionalTestInitrd, "functionalTestInitrd is null");
        Objects.requireNonNull(functionalTestTimeout, "functionalTestTimeout is null");
        Objects.requireNonNull(qemuBinary, "qemuBinary is null");
    }

    /** The declarations, in the order {@code livcloud config check} shows them. */
    public static List<Setting> declarations() {
        return List.of(
                Setting.optional(FUNCTIONAL_TEST_KERNEL, SettingType.STRING,
                        "Kernel the functional test boots under -accel kvm and -accel tcg; empty: no functional "
                                + "test, the verdict rests on evidence only."),
                Setting.optional(FUNCTIONAL_TEST_INITRD, SettingType.STRING,
                        "Its initramfs; user space must print '" + QemuGuestBoot.USER_SPACE_LINE
                                + "' on ttyS0."),
                Setting.required(FUNCTIONAL_TEST_TIMEOUT, SettingType.DURATION,
                        "How long the test guest may take to reach user space when the request names no timeout."),
                Setting.required(QEMU_BINARY, SettingType.STRING, "The emulator the functional test starts."));
    }

    /**
     * Reads the validated section.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_SETTING} for a non-positive timeout
     */
    public static HostProbeConfig from(ExtensionConfig config) {
        Duration timeout = config.duration(FUNCTIONAL_TEST_TIMEOUT).orElse(Duration.ofSeconds(20));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                    config.path() + "." + FUNCTIONAL_TEST_TIMEOUT + " is " + timeout + " ("
                            + config.origin(FUNCTIONAL_TEST_TIMEOUT) + "); it must be positive",
                    "set it to e.g. 20s");
        }
        return new HostProbeConfig(
                config.string(FUNCTIONAL_TEST_KERNEL).filter(value -> !value.isBlank()).map(Path::of),
                config.string(FUNCTIONAL_TEST_INITRD).filter(value -> !value.isBlank()).map(Path::of),
                timeout,
                config.string(QEMU_BINARY).filter(value -> !value.isBlank()).orElse("qemu-system-x86_64"));
    }
}
