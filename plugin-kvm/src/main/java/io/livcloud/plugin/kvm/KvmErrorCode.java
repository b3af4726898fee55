package io.livcloud.plugin.kvm;

import io.livcloud.spi.ErrorCode;

/** The failures the kvm plugin reports; {@link #code()} is what users and scripts see. */
public enum KvmErrorCode implements ErrorCode {
    /** libvirt's client library cannot be loaded on this machine. */
    LIBVIRT_MISSING,
    /** A setting has a value the plugin cannot use. */
    INVALID_SETTING,
    /** The connection URI is not one for QEMU through libvirt. */
    INVALID_URI,
    /** libvirt could not connect to the daemon at the URI. */
    CONNECT_FAILED,
    /** A libvirt call on an open connection failed. */
    LIBVIRT_CALL_FAILED,
    /** libvirt returned XML the plugin cannot read, or a VM whose architecture it does not know. */
    UNREADABLE_DESCRIPTION,
    /** The host has no VM of that name. */
    VM_NOT_FOUND,
    /** The VM is not running, so there is nothing to migrate live or to resume. */
    VM_NOT_RUNNING,
    /** The VM runs, so its definition is not removed. */
    VM_RUNNING,
    /** The VM is the paused source of a post-copy migration: its memory is partly on the destination. */
    VM_IN_POST_COPY,
    /** The VM is already being migrated. */
    MIGRATION_IN_PROGRESS,
    /** The migration policy asks for something this libvirt cannot do. */
    MIGRATION_FEATURE_UNSUPPORTED,
    /**
     * A migration with the hypervisor's own TLS did not start because a host lacks its TLS material (certificates and
     * keys for {@code migrate_tls_x509_cert_dir}); the VM is unchanged on the source.
     */
    MIGRATION_TLS_UNAVAILABLE,
    /** The migration did not start; the VM is unchanged on the source. */
    MIGRATION_START_FAILED,
    /** A running migration could not be tuned, switched or cancelled as asked. */
    MIGRATION_CONTROL_FAILED;

    @Override
    public String code() {
        return "KVM_" + name();
    }
}
