package io.livcloud.plugin.kvm;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The kvm extension's settings ({@code livcloud.extensions.hypervisor.kvm}); defaults in {@code reference.conf}.
 *
 * @param uri the URI {@link io.livcloud.spi.hypervisor.Hypervisor#connect} uses when given a blank one
 * @param accelerator how usable accelerators are decided
 * @param progressInterval how often a running migration reports its progress as an event
 * @param sharedStoragePaths path prefixes of storage every host sees (e.g. an NFS mount): disks there are not copied
 */
record KvmConfig(String uri, AcceleratorMode accelerator, Duration progressInterval, List<String> sharedStoragePaths) {

    static final TypedSetting<String> URI = TypedSetting.string("uri",
            "The libvirt URI used when a site names none: qemu:///system, qemu+tcp://HOST/system, "
                    + "qemu+ssh://USER@HOST/system, or a libvirtd socket path.").required();
    static final TypedSetting<String> ACCELERATOR = TypedSetting.oneOf("accelerator",
            "Which accelerators count as usable: auto (KVM only with VMX/SVM and a hardware KVM backend, "
                    + "else TCG), kvm (trust "
                    + "libvirt's kvm domain type), tcg (emulation only).",
            "auto", "kvm", "tcg").required();
    static final TypedSetting<Duration> PROGRESS_INTERVAL = TypedSetting.duration("progress-interval",
            "How often a running migration reports its progress as a migration.progress event.").required();
    static final TypedSetting<List<String>> SHARED_STORAGE_PATHS = TypedSetting.stringList("shared-storage-paths",
            "Path prefixes of storage that every host mounts at the same place (NFS, CephFS, ...); "
                    + "disks there are not copied during migration.");

    /** The declarations, in the order {@code livcloud config check} shows them. */
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(URI, ACCELERATOR, PROGRESS_INTERVAL,
            SHARED_STORAGE_PATHS);

    KvmConfig {
        Objects.requireNonNull(uri, "uri is null");
        Objects.requireNonNull(accelerator, "accelerator is null");
        Objects.requireNonNull(progressInterval, "progressInterval is null");
        sharedStoragePaths = List.copyOf(sharedStoragePaths);
    }

    /**
     * Reads the validated section.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_SETTING} for a value the types cannot rule out
     */
    static KvmConfig from(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, KvmErrorCode.INVALID_SETTING);
        Duration interval = config.get(PROGRESS_INTERVAL);
        if (interval.isNegative() || interval.isZero()) {
            throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                    config.qualifiedKey(PROGRESS_INTERVAL) + " is " + interval + " (" + config.origin(PROGRESS_INTERVAL)
                            + "); it must be positive",
                    "set it to e.g. 1s");
        }
        List<String> shared = config.get(SHARED_STORAGE_PATHS);
        for (String path : shared) {
            if (!path.startsWith("/")) {
                throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                        config.qualifiedKey(SHARED_STORAGE_PATHS) + " contains '" + path + "' ("
                                + config.origin(SHARED_STORAGE_PATHS) + "), which is not an absolute path",
                        "list absolute path prefixes such as /mnt/shared");
            }
        }
        return new KvmConfig(
                config.get(URI),
                AcceleratorMode.fromSetting(config.get(ACCELERATOR)),
                interval,
                shared);
    }
}
