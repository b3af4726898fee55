package io.livcloud.plugin.kvm;

import io.livcloud.testing.FakeExtensionConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The kvm section for tests: reference.conf's defaults, on LivCloud's own test fake. */
final class KvmConfigs {

    private KvmConfigs() {
    }

    static FakeExtensionConfig defaults() {
        return new FakeExtensionConfig("livcloud.extensions.hypervisor.kvm", KvmConfig.declarations(), Map.of(
                KvmConfig.URI, "qemu:///system",
                KvmConfig.ACCELERATOR, "auto",
                KvmConfig.PROGRESS_INTERVAL, Duration.ofSeconds(1),
                KvmConfig.SHARED_STORAGE_PATHS, List.of())).withOrigin("livcloud.conf:7");
    }
}
