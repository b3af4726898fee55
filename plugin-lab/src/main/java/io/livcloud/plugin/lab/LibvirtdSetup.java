package io.livcloud.plugin.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A site's libvirtd: its configuration files and the command that starts it in the site's network namespace and in a
 * private mount namespace of its own, with the site's folders bind-mounted over libvirt's (see LAB-FACTS: two
 * monolithic libvirtds on one machine).
 */
final class LibvirtdSetup {

    /** The folders libvirtd uses, each replaced by one of the site's inside its mount namespace. */
    private static final List<String> LIBVIRT_FOLDERS =
            List.of("/etc/libvirt", "/run/libvirt", "/var/lib/libvirt", "/var/log/libvirt", "/var/cache/libvirt");

    private LibvirtdSetup() {
    }

    /**
     * libvirtd.conf: TCP without authentication, unix sockets without polkit. In namespace mode TCP listens on every
     * address of the site's namespace: the WAN address (plaintext migrations, allowed only on request) and the
     * gateway's address inside the VM subnet, which the other site reaches through the IPsec tunnel. In ssh mode only
     * on that inside address: nothing on the WAN answers without authentication, and LivCloud comes in over SSH.
     * libvirt 9.0 takes a single listen address, so the lab's guests on the VM bridge could reach it too: acceptable
     * for a lab of test guests, not for production hosts.
     */
    static String libvirtdConf(LabSite site, UUID hostUuid, LabConfig.AccessMode mode) {
        String listen = mode == LabConfig.AccessMode.SSH ? site.insideAddress() : "0.0.0.0";
        return """
                # Written by the LivCloud lab for site %s at each start; edits are lost.
                listen_tls = 0
                listen_tcp = 1
                listen_addr = "%s"
                auth_tcp = "none"
                auth_unix_rw = "none"
                auth_unix_ro = "none"
                # Distinct per site, or libvirt refuses a migration as one "to the same host".
                host_uuid = "%s"
                log_outputs = "3:stderr"
                """.formatted(site.name(), listen, hostUuid);
    }

    /**
     * qemu.conf: QEMU as root without security driver, cgroups or namespaces (there is no systemd), console output
     * to files (no virtlogd), and incoming migrations on every address, advertised as the site's own. With
     * {@code migrationTls}, QEMU's TLS for migration streams uses the site's {@link MigrationTls} folder, and each
     * side checks the other's certificate ({@code migrate_tls_x509_verify}): a destination takes streams only from a
     * source the lab's authority certified, and a source sends only to the address its certificate names.
     */
    static String qemuConf(LabSite site, boolean migrationTls) {
        String tls = !migrationTls ? "" : """
                migrate_tls_x509_cert_dir = "%s"
                migrate_tls_x509_verify = 1
                """.formatted(site.migrationTlsDirectory());
        return """
                # Written by the LivCloud lab for site %s at each start; edits are lost.
                user = "root"
                group = "root"
                dynamic_ownership = 0
                remember_owner = 0
                security_driver = "none"
                stdio_handler = "file"
                cgroup_controllers = [ ]
                namespaces = [ ]
                migration_address = "0.0.0.0"
                migration_host = "%s"
                """.formatted(site.name(), site.publicAddress()) + tls;
    }

    /** The folders of the site that replace {@link #LIBVIRT_FOLDERS}, in the same order. */
    private static List<Path> siteFolders(LabSite site) {
        return List.of(site.etc(), site.run(), site.lib(), site.log(), site.cache());
    }

    /**
     * Starts libvirtd detached ({@code setsid}), in the site's network namespace, in a new mount namespace whose
     * mounts are private, so that the bind mounts exist only there and end with its last process. Each step
     * {@code exec}s the next, so the started pid is libvirtd's. {@code -p} puts the pid file in the site's run folder.
     */
    static List<String> startCommand(LabSite site) {
        StringBuilder script = new StringBuilder("set -e\n");
        script.append("mkdir -p ").append(String.join(" ", LIBVIRT_FOLDERS)).append('\n');
        List<Path> folders = siteFolders(site);
        for (int i = 0; i < LIBVIRT_FOLDERS.size(); i++) {
            script.append("mount --bind ").append(quote(folders.get(i).toString())).append(' ')
                    .append(LIBVIRT_FOLDERS.get(i)).append('\n');
        }
        script.append("exec libvirtd --listen -f ").append(quote(site.libvirtdConf().toString()))
                .append(" -p /run/libvirt/libvirtd.pid\n");
        return List.of("setsid", "ip", "netns", "exec", site.namespace(),
                "unshare", "--mount", "--propagation", "private",
                "sh", "-c", script.toString());
    }

    /** Whether a command line is this site's libvirtd: {@code libvirtd ... -f <the site's libvirtd.conf> ...}. */
    static boolean isLibvirtdOf(LabSite site, List<String> commandLine) {
        if (commandLine.isEmpty() || !Path.of(commandLine.get(0)).getFileName().toString().equals("libvirtd")) {
            return false;
        }
        int configuration = commandLine.indexOf("-f");
        return configuration >= 0 && configuration + 1 < commandLine.size()
                && commandLine.get(configuration + 1).equals(site.libvirtdConf().toString());
    }

    /**
     * Whether a command line is one of the steps {@link #startCommand} goes through on its way to libvirtd (setsid,
     * ip, unshare, sh, libvirtd): each names the site's libvirtd.conf.
     */
    static boolean isStartingLibvirtdOf(LabSite site, List<String> commandLine) {
        String conf = site.libvirtdConf().toString();
        return commandLine.stream().anyMatch(argument -> argument.contains(conf));
    }

    /** Whether a command line is the QEMU libvirt runs for the VM: {@code qemu-system-* -name guest=<vm>,...}. */
    static boolean isQemuOf(String vm, List<String> commandLine) {
        if (commandLine.isEmpty() || !Path.of(commandLine.get(0)).getFileName().toString().startsWith("qemu-system")) {
            return false;
        }
        int name = commandLine.indexOf("-name");
        if (name < 0 || name + 1 >= commandLine.size()) {
            return false;
        }
        String value = commandLine.get(name + 1);
        return value.equals(vm) || value.startsWith("guest=" + vm + ",") || value.equals("guest=" + vm);
    }

    /** Single-quotes a word for sh. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
