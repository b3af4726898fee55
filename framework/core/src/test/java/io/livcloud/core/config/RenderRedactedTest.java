package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.plugin;
import static io.livcloud.core.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderRedactedTest {

    @TempDir
    Path directory;

    @Test
    void secretsAreNeverRendered() {
        Path file = write(directory, """
                livcloud {
                  log-level = info
                  # old password: commented-out-secret
                  sites.paris { provider = aws, region = eu-west-3, session-token = site-secret }
                  extensions {
                    hypervisor.kvm { uri = "qemu:///system", password = declared-secret }
                    tunnel.strongswan { psk = undeclared-psk, peers = [{ name = a, private-key = key-in-list }] }
                    provider.aws { access-key-id = AKIA, secret-access-key = aws-secret }
                    provider.azure { client { secret = nested-secret } }
                  }
                }
                """);
        LivCloudConfig config = load(file).withPluginDefaults(List.of(plugin("aws",
                "livcloud.extensions.provider.aws.api-token = plugin-secret",
                Map.of(ExtensionKind.PROVIDER, Set.of("aws")))));

        String rendered = config.renderRedacted(Map.of(ExtensionKind.HYPERVISOR, Map.of("kvm", TestExtensions.KVM)),
                TestExtensions.SITE_SETTINGS);

        assertThat(rendered).isEqualTo("""
                livcloud {
                    extensions {
                        hypervisor {
                            kvm {
                                password="******"
                                uri="qemu:///system"
                            }
                        }
                        provider {
                            aws {
                                access-key-id="******"
                                api-token="******"
                                secret-access-key="******"
                            }
                            azure {
                                client {
                                    secret="******"
                                }
                            }
                        }
                        register-probe {}
                        tunnel {
                            strongswan {
                                peers="******"
                                psk="******"
                            }
                        }
                    }
                    log-level=info
                    migration {}
                    plugins {
                        directories=[]
                        disabled=[]
                        required=[]
                    }
                    sites {
                        paris {
                            provider=aws
                            region=eu-west-3
                            session-token="******"
                        }
                    }
                    state-directory="~/.livcloud"
                }
                """);
        // access-key-id is redacted too: its name matches "access-key", and caution costs nothing here.
        for (String secret : List.of("AKIA", "commented-out-secret", "site-secret", "declared-secret", "undeclared-psk",
                "key-in-list", "aws-secret", "nested-secret", "plugin-secret")) {
            assertThat(rendered).doesNotContain(secret);
        }
    }

    @Test
    void aDeclaredSecretUnderAnInnocentNameIsRedacted() {
        Path file = write(directory, """
                livcloud.extensions.hypervisor.kvm { uri = "qemu:///system", cache = none }
                """);
        Map<ExtensionKind, Map<String, List<Setting>>> settings = Map.of(ExtensionKind.HYPERVISOR,
                Map.of("kvm", List.of(TestExtensions.KVM.get(0).asSecret())));

        String rendered = load(file).renderRedacted(settings);

        assertThat(rendered).contains("uri=\"******\"").contains("cache=none").doesNotContain("qemu:///system");
    }
}
