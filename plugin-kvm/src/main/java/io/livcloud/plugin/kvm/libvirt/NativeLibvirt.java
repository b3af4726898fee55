package io.livcloud.plugin.kvm.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Direct JNA bindings to {@code libvirt.so.0} for the calls libvirt-java 0.5.4 lacks or gets wrong:
 *
 * <ul>
 *   <li>{@code virDomainGetState}: libvirt-java has only {@code virDomainGetInfo}, whose state comes without the
 *       reason that tells a migration's switch-over ({@code PAUSED_MIGRATION}) from post-copy ({@code
 *       PAUSED_POSTCOPY});
 *   <li>{@code virDomainGetJobStats}: libvirt-java's binding never calls {@code virTypedParamsFree}, so every poll
 *       would leak the array libvirt allocated;
 *   <li>{@code virDomainMigrateToURI3}: libvirt-java marshals the parameters through JNA structures and unions and
 *       fails on an empty parameter list; here libvirt's own {@code virTypedParamsAdd*} build the array;
 *   <li>{@code virDomainMigrateSetMaxSpeed}, {@code virDomainMigrateStartPostCopy},
 *       {@code virConnectCompareHypervisorCPU}: not bound at all.
 * </ul>
 *
 * <p>Pointers are raw {@code virConnectPtr}/{@code virDomainPtr}/{@code virTypedParameterPtr}; only
 * {@link LibvirtJavaConnection} uses this interface.
 */
interface NativeLibvirt extends Library {

    /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED}. */
    int JOB_STATS_COMPLETED = 1;
    /** {@code VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED}: reading the completed statistics does not remove them. */
    int JOB_STATS_KEEP_COMPLETED = 2;

    /** Loads {@code libvirt.so.0} (JNA finds the versioned file without the development symlink). */
    static NativeLibvirt load() {
        return Native.load("virt", NativeLibvirt.class);
    }

    int virGetLastErrorCode();

    String virGetLastErrorMessage();

    Pointer virDomainLookupByName(Pointer connection, String name);

    int virDomainFree(Pointer domain);

    int virDomainGetState(Pointer domain, IntByReference state, IntByReference reason, int flags);

    int virDomainGetJobStats(Pointer domain, IntByReference type, PointerByReference parameters,
            IntByReference count, int flags);

    void virTypedParamsFree(Pointer parameters, int count);

    int virTypedParamsAddString(PointerByReference parameters, IntByReference count, IntByReference capacity,
            String name, String value);

    int virTypedParamsAddInt(PointerByReference parameters, IntByReference count, IntByReference capacity,
            String name, int value);

    int virTypedParamsAddULLong(PointerByReference parameters, IntByReference count, IntByReference capacity,
            String name, long value);

    int virDomainMigrateToURI3(Pointer domain, String destinationUri, Pointer parameters, int count, int flags);

    int virDomainMigrateSetMaxSpeed(Pointer domain, NativeLong bandwidthMebibytesPerSecond, int flags);

    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    int virConnectCompareHypervisorCPU(Pointer connection, String emulator, String architecture, String machine,
            String virtualizationType, String cpuXml, int flags);
}
