package io.livcloud.plugin.kvm;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
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

    static final String URI = "uri";
    static final String ACCELERATOR = "accelerator";
    static final String PROGRESS_INTERVAL = "progress-interval";
    static final String SHARED_STORAGE_PATHS = "shared-storage-paths";

    KvmConfig {
        Objects.requireNonNull(uri, "uri is null");
        Objects.requireNonNull(accelerator, "accelerator is null");
        Objects.requireNonNull(progressInterval, "progressInterval is null");
        sharedStoragePaths = List.copyOf(sharedStoragePaths);
    }

    /** The declarations, in the order {@code livcloud config check} shows them. */
    static List<Setting> declarations() {
        return List.of(
                Setting.required(URI, SettingType.STRING,
                        "The libvirt URI used when a site names none: qemu:///system, qemu+tcp://HOST/system, "
                                + "qemu+ssh://USER@HOST/system, or a libvirtd socket path."),
                Setting.oneOf(ACCELERATOR,
                        "Which accelerators count as usable: auto (KVM only with VMX/SVM and a hardware KVM backend, "
                                + "else TCG), kvm (trust "
                                + "libvirt's kvm domain type), tcg (emulation only).",
                        "auto", "kvm", "tcg").asRequired(),
                Setting.required(PROGRESS_INTERVAL, SettingType.DURATION,
                        "How often a running migration reports its progress as a migration.progress event."),
                Setting.optional(SHARED_STORAGE_PATHS, SettingType.STRING_LIST,
                        "Path prefixes of storage that every host mounts at the same place (NFS, CephFS, ...); "
                                + "disks there are not copied during migration."));
    }

    /**
     * Reads the validated section.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_SETTING} for a value the types cannot rule out
     */
    static KvmConfig from(ExtensionConfig config) {
        Duration interval = config.duration(PROGRESS_INTERVAL).orElse(Duration.ofSeconds(1));
        if (interval.isNegative() || interval.isZero()) {
            throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                    config.path() + "." + PROGRESS_INTERVAL + " is " + interval + " (" + config.origin(PROGRESS_INTERVAL)
                            + "); it must be positive",
                    "set it to e.g. 1s");
        }
        List<String> shared = config.stringList(SHARED_STORAGE_PATHS);
        for (String path : shared) {
            if (!path.startsWith("/")) {
                throw new ExtensionException(KvmErrorCode.INVALID_SETTING,
                        config.path() + "." + SHARED_STORAGE_PATHS + " contains '" + path + "' ("
                                + config.origin(SHARED_STORAGE_PATHS) + "), which is not an absolute path",
                        "list absolute path prefixes such as /mnt/shared");
            }
        }
        return new KvmConfig(
                config.string(URI).orElse("qemu:///system"),
                AcceleratorMode.fromSetting(config.string(ACCELERATOR).orElse("auto")),
                interval,
                shared);
    }
}
