package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataPathTest {

    @Test
    void theLoadedPluginsTellTheDataPathACharonUses() {
        assertThat(DataPath.ofLoadedPlugins(List.of("vici", "kernel-libipsec", "kernel-netlink")))
                .isEqualTo(DataPath.USERSPACE_LIBIPSEC);
        assertThat(DataPath.ofLoadedPlugins(List.of("vici", "kernel-netlink"))).isEqualTo(DataPath.KERNEL_ESP);
        assertThat(DataPath.ofLoadedPlugins(List.of("vici", "kernel-pfkey"))).isEqualTo(DataPath.KERNEL_ESP);
        assertThat(DataPath.ofLoadedPlugins(List.of())).as("unknown: ESP in UDP, which both receive")
                .isEqualTo(DataPath.USERSPACE_LIBIPSEC);
    }

    @Test
    void theEvidenceNamesTheGatewayAndWhatItsCharonLoaded() {
        assertThat(DataPath.ofCharon("a", List.of("kernel-libipsec", "kernel-netlink")).evidence())
                .containsExactly("site a's charon loaded kernel-libipsec: ESP in user space, inside UDP");
        assertThat(DataPath.ofCharon("b", List.of("kernel-netlink", "vici")).evidence())
                .containsExactly("site b's charon loaded kernel-netlink without kernel-libipsec: the kernel's ESP");
        assertThat(DataPath.ofCharon("c", List.of("vici")).evidence().get(0))
                .contains("site c's charon names no IPsec backend among its plugins (vici)");
    }

    @Test
    void theTestsReadAKernelOptionWhetherBuiltInAModuleUnsetOrAbsent() {
        String config = "CONFIG_XFRM_USER=y\n# CONFIG_INET_ESP is not set\nCONFIG_INET6_ESP=m\n";

        assertThat(LocalKernelEsp.kernelOption(config, "CONFIG_XFRM_USER")).contains("= y");
        assertThat(LocalKernelEsp.kernelOption(config, "CONFIG_INET_ESP")).contains("is not set");
        assertThat(LocalKernelEsp.kernelOption(config, "CONFIG_INET6_ESP")).contains("= m");
        assertThat(LocalKernelEsp.kernelOption(config, "CONFIG_NET_KEY")).contains("is absent");
    }
}
