package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataPathTest {

    @Test
    void readsAKernelOptionWhetherBuiltInAModuleUnsetOrAbsent() {
        String config = "CONFIG_XFRM_USER=y\n# CONFIG_INET_ESP is not set\nCONFIG_INET6_ESP=m\n";

        assertThat(DataPath.kernelOption(config, "CONFIG_XFRM_USER")).contains("= y");
        assertThat(DataPath.kernelOption(config, "CONFIG_INET_ESP")).contains("is not set");
        assertThat(DataPath.kernelOption(config, "CONFIG_INET6_ESP")).contains("= m");
        assertThat(DataPath.kernelOption(config, "CONFIG_NET_KEY")).contains("is absent");
    }

    @Test
    void theLoadedPluginsTellTheDataPathACharonUses() {
        assertThat(DataPath.ofLoadedPlugins(List.of("vici", "kernel-libipsec", "kernel-netlink")))
                .isEqualTo(DataPath.USERSPACE_LIBIPSEC);
        assertThat(DataPath.ofLoadedPlugins(List.of("vici", "kernel-netlink"))).isEqualTo(DataPath.KERNEL_ESP);
    }
}
