package io.livcloud.core.config;

import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.util.List;
import java.util.Map;

/** The settings of a few made-up extensions, one of every type, as installed plugins would declare them. */
final class TestExtensions {

    static final List<Setting> KVM = List.of(
            Setting.required("uri", SettingType.STRING, "The libvirt URI of the host, e.g. qemu+ssh://root@host/system."),
            Setting.optional("connect-timeout", SettingType.DURATION, "How long to wait for libvirt to answer."),
            Setting.optional("migration-bandwidth", SettingType.BYTES, "The most a migration may send a second."),
            Setting.integer("parallel-connections", "How many connections a migration uses.", 1, 16),
            Setting.optional("compressed", SettingType.BOOLEAN, "Whether memory pages are compressed."),
            Setting.optional("socket", SettingType.PATH, "The libvirt socket."),
            Setting.oneOf("cache", "The disk cache mode.", "none", "writeback", "writethrough"),
            Setting.optional("features", SettingType.STRING_LIST, "Migration features to enable."),
            Setting.optional("tuning", SettingType.OBJECT, "Extra libvirt migration parameters."),
            Setting.optional("tls.verify", SettingType.BOOLEAN, "Whether the host's certificate is checked."),
            Setting.secret("password", "The SASL password."));

    static final List<Setting> STRONGSWAN = List.of(
            Setting.secret("psk", "The pre-shared key of the tunnel.").asRequired(),
            Setting.optional("charon-socket", SettingType.PATH, "The VICI socket of charon."));

    static final List<Setting> AWS = List.of(
            Setting.optional("access-key-id", SettingType.STRING, "The access key id."),
            Setting.secret("secret-access-key", "The secret access key."));

    static final List<Setting> AWS_SITE = List.of(
            Setting.required("region", SettingType.STRING, "The AWS region of the site, e.g. eu-west-3."),
            Setting.optional("vpc", SettingType.STRING, "The VPC the site's hosts are in."),
            Setting.secret("session-token", "A session token."));

    static final List<Setting> AZURE_SITE = List.of(
            Setting.required("resource-group", SettingType.STRING, "The resource group of the site."));

    static final Map<ExtensionKind, Map<String, List<Setting>>> SETTINGS = Map.of(
            ExtensionKind.HYPERVISOR, Map.of("kvm", KVM, "vsphere", List.of()),
            ExtensionKind.TUNNEL, Map.of("strongswan", STRONGSWAN),
            ExtensionKind.PROVIDER, Map.of("aws", AWS, "azure", List.of()));

    static final Map<String, List<Setting>> SITE_SETTINGS = Map.of("aws", AWS_SITE, "azure", AZURE_SITE);

    private TestExtensions() {
    }
}
