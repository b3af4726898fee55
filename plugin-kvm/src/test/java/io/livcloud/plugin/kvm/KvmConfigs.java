package io.livcloud.plugin.kvm;

import io.livcloud.testing.plugin.ReferenceConf;
import io.livcloud.testing.FakeExtensionConfig;

/** The kvm section for tests: reference.conf's defaults, on LivCloud's own test fake. */
final class KvmConfigs {

    private KvmConfigs() {
    }

    static FakeExtensionConfig defaults() {
        return ReferenceConf.defaults(new KvmHypervisorFactory()).withOrigin("livcloud.conf:7");
    }
}
