package io.livcloud.plugin.kvm.probe;

import io.livcloud.plugin.kvm.KvmErrorCode;
import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.nio.file.Path;
import java.time.Duration;
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

    public static final TypedSetting<String> FUNCTIONAL_TEST_KERNEL = TypedSetting.string("functional-test-kernel",
            "Kernel the functional test boots under -accel kvm and -accel tcg, a file on this machine (copied to "
                    + "another host it probes); empty: no functional test, the verdict rests on evidence only.");
    public static final TypedSetting<String> FUNCTIONAL_TEST_INITRD = TypedSetting.string("functional-test-initrd",
            "Its initramfs; user space must print '" + QemuGuestBoot.USER_SPACE_LINE + "' on ttyS0.");
    public static final TypedSetting<Duration> FUNCTIONAL_TEST_TIMEOUT = TypedSetting.duration(
            "functional-test-timeout",
            "How long the test guest may take to reach user space when the request names no timeout.").required();
    public static final TypedSetting<String> QEMU_BINARY = TypedSetting.string("qemu-binary",
            "The emulator the functional test starts, on the host it probes.").required();

    /** The declarations, in the order {@code livcloud config check} shows them. */
    public static final DeclaredSettings SETTINGS = DeclaredSettings.of(FUNCTIONAL_TEST_KERNEL,
            FUNCTIONAL_TEST_INITRD, FUNCTIONAL_TEST_TIMEOUT, QEMU_BINARY);

    public HostProbeConfig {
        Objects.requireNonNull(functionalTestKernel, "functionalTestKernel is null");
        Objects.requireNonNull(functionalTestInitrd, "functionalTestInitrd is null");
        Objects.requireNonNull(functionalTestTimeout, "functionalTestTimeout is null");
        Objects.requireNonNull(qemuBinary, "qemuBinary is null");
    }

    /**
     * Reads the validated section.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_SETTING} for a non-positive timeout or an empty
     *     emulator
     */
    public static HostProbeConfig from(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, KvmErrorCode.INVALID_SETTING);
        Duration timeout = config.get(FUNCTIONAL_TEST_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                    config.qualifiedKey(FUNCTIONAL_TEST_TIMEOUT) + " is " + timeout + " ("
                            + config.origin(FUNCTIONAL_TEST_TIMEOUT) + "); it must be positive",
                    "set it to e.g. 20s");
        }
        String qemuBinary = config.get(QEMU_BINARY);
        if (qemuBinary.isBlank()) {
            throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                    config.qualifiedKey(QEMU_BINARY) + " is empty (" + config.origin(QEMU_BINARY) + ")",
                    "name the emulator the functional test starts, e.g. qemu-system-x86_64");
        }
        return new HostProbeConfig(
                Optional.of(config.get(FUNCTIONAL_TEST_KERNEL)).filter(value -> !value.isBlank()).map(Path::of),
                Optional.of(config.get(FUNCTIONAL_TEST_INITRD)).filter(value -> !value.isBlank()).map(Path::of),
                timeout,
                qemuBinary);
    }
}
