package io.livcloud.plugin.kvm.libvirt;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/** A {@link LibvirtConnection} over a libvirt-java {@link Connect}, with {@link NativeLibvirt} for the rest. */
final class LibvirtJavaConnection implements LibvirtConnection {

    /**
     * libvirt prints every error to stderr ("libvirt: QEMU Driver error : Domain not found…") until an error function
     * is set; errors reach callers as {@link LibvirtError}s instead. Held here: JNA must not lose the callback.
     */
    private static final ErrorCallback SILENT = new ErrorCallback();
    private static final AtomicBoolean SILENCED = new AtomicBoolean();

    /** {@code VIR_CONNECT_LIST_DOMAINS_*}: 0 lists active and inactive domains alike. */
    private static final int ALL_DOMAINS = 0;

    private final String uri;
    private final OpenConnect connect;
    private final NativeLibvirt nativeLibvirt;

    private LibvirtJavaConnection(String uri, OpenConnect connect, NativeLibvirt nativeLibvirt) {
        this.uri = uri;
        this.connect = connect;
        this.nativeLibvirt = nativeLibvirt;
    }

    static LibvirtJavaConnection open(String uri) {
        Objects.requireNonNull(uri, "uri is null");
        NativeLibvirt nativeLibvirt = NativeLibvirt.load();
        try {
            if (SILENCED.compareAndSet(false, true)) {
                Connect.setErrorCallback(SILENT);
            }
            return new LibvirtJavaConnection(uri, new OpenConnect(uri), nativeLibvirt);
        } catch (LibvirtException e) {
            throw translate(e);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String hostname() {
        return call(connect::getHostName);
    }

    @Override
    public String capabilitiesXml() {
        return call(connect::getCapabilities);
    }

    @Override
    public NodeInfo nodeInfo() {
        org.libvirt.NodeInfo info = call(connect::nodeInfo);
        return new NodeInfo(info.model, info.cpus, info.memory * 1024, info.mhz);
    }

    @Override
    public long freeMemoryBytes() {
        return call(connect::getFreeMemory);
    }

    @Override
    public long libvirtVersion() {
        return call(connect::getLibVersion);
    }

    @Override
    public long hypervisorVersion() {
        return call(connect::getVersion);
    }

    @Override
    public List<String> domainNames() {
        Domain[] domains = call(() -> connect.listAllDomains(ALL_DOMAINS));
        List<String> names = new ArrayList<>(domains.length);
        try {
            for (Domain domain : domains) {
                names.add(call(domain::getName));
            }
        } finally {
            for (Domain domain : domains) {
                free(domain);
            }
        }
        return names;
    }

    @Override
    public String domainXml(String domain) {
        return withDomain(domain, handle -> handle.getXMLDesc(0));
    }

    @Override
    public DomainState domainState(String domain) {
        return withNativeDomain(domain, handle -> {
            IntByReference state = new IntByReference();
            IntByReference reason = new IntByReference();
            check(nativeLibvirt.virDomainGetState(handle, state, reason, 0));
            return new DomainState(state.getValue(), reason.getValue());
        });
    }

    @Override
    public boolean isPersistent(String domain) {
        return withDomain(domain, handle -> handle.isPersistent() == 1);
    }

    @Override
    public long diskCapacityBytes(String domain, String diskTarget) {
        return withDomain(domain, handle -> handle.blockInfo(diskTarget).getCapacity());
    }

    @Override
    public CpuComparison compareCpu(String cpuXml) {
        return switch (call(() -> connect.compareCPU(cpuXml))) {
            case VIR_CPU_COMPARE_IDENTICAL -> CpuComparison.IDENTICAL;
            case VIR_CPU_COMPARE_SUPERSET -> CpuComparison.SUPERSET;
            case VIR_CPU_COMPARE_INCOMPATIBLE -> CpuComparison.INCOMPATIBLE;
            case VIR_CPU_COMPARE_ERROR -> throw new LibvirtError(LibvirtError.INTERNAL_ERROR,
                    "libvirt could not compare the CPU with the host's");
        };
    }

    @Override
    public CpuComparison compareHypervisorCpu(String architecture, String virtualizationType, String cpuXml) {
        int result = nativeLibvirt.virConnectCompareHypervisorCPU(
                connect.pointer(), null, architecture, null, virtualizationType, cpuXml, 0);
        return switch (result) {
            case 0 -> CpuComparison.INCOMPATIBLE;
            case 1 -> CpuComparison.IDENTICAL;
            case 2 -> CpuComparison.SUPERSET;
            default -> throw lastNativeError();
        };
    }

    @Override
    public String baselineCpu(List<String> cpuXmls) {
        return call(() -> connect.baselineCPU(cpuXmls.toArray(String[]::new)));
    }

    @Override
    public void migrate(
            String domain, String destinationUri, List<MigrationParameter> parameters, Set<MigrationFlag> flags) {
        int flagBits = 0;
        for (MigrationFlag flag : flags) {
            flagBits |= (int) flag.value();
        }
        int bits = flagBits;
        PointerByReference array = new PointerByReference();
        IntByReference count = new IntByReference();
        IntByReference capacity = new IntByReference();
        try {
            for (MigrationParameter parameter : parameters) {
                check(switch (parameter.type()) {
                    case STRING -> nativeLibvirt.virTypedParamsAddString(
                            array, count, capacity, parameter.name(), (String) parameter.value());
                    case INT -> nativeLibvirt.virTypedParamsAddInt(
                            array, count, capacity, parameter.name(), (Integer) parameter.value());
                    case UNSIGNED_LONG_LONG -> nativeLibvirt.virTypedParamsAddULLong(
                            array, count, capacity, parameter.name(), (Long) parameter.value());
                });
            }
            withNativeDomain(domain, handle -> check(nativeLibvirt.virDomainMigrateToURI3(
                    handle, destinationUri, array.getValue(), count.getValue(), bits)));
        } finally {
            if (array.getValue() != null) {
                nativeLibvirt.virTypedParamsFree(array.getValue(), count.getValue());
            }
        }
    }

    @Override
    public JobStatistics jobStatistics(String domain, boolean completed) {
        int flags = completed ? NativeLibvirt.JOB_STATS_COMPLETED | NativeLibvirt.JOB_STATS_KEEP_COMPLETED : 0;
        return withNativeDomain(domain, handle -> {
            IntByReference type = new IntByReference();
            PointerByReference array = new PointerByReference();
            IntByReference count = new IntByReference();
            check(nativeLibvirt.virDomainGetJobStats(handle, type, array, count, flags));
            if (array.getValue() == null) {
                return new JobStatistics(type.getValue(), Map.of());
            }
            try {
                return new JobStatistics(type.getValue(), TypedParameters.read(array.getValue(), count.getValue()));
            } finally {
                nativeLibvirt.virTypedParamsFree(array.getValue(), count.getValue());
            }
        });
    }

    @Override
    public void abortJob(String domain) {
        withDomain(domain, Domain::abortJob);
    }

    @Override
    public void setMaxDowntime(String domain, Duration downtime) {
        withDomain(domain, handle -> handle.migrateSetMaxDowntime(downtime.toMillis()));
    }

    @Override
    public void setMaxSpeed(String domain, long mebibytesPerSecond) {
        withNativeDomain(domain, handle -> check(
                nativeLibvirt.virDomainMigrateSetMaxSpeed(handle, new NativeLong(mebibytesPerSecond), 0)));
    }

    @Override
    public void startPostCopy(String domain) {
        withNativeDomain(domain, handle -> check(nativeLibvirt.virDomainMigrateStartPostCopy(handle, 0)));
    }

    @Override
    public void resume(String domain) {
        onDomain(domain, Domain::resume);
    }

    @Override
    public void destroy(String domain) {
        onDomain(domain, Domain::destroy);
    }

    @Override
    public void undefine(String domain) {
        onDomain(domain, Domain::undefine);
    }

    @Override
    public void close() {
        call(connect::close);
    }

    /** A libvirt-java call that may throw its checked exception. */
    @FunctionalInterface
    private interface LibvirtCall<T> {
        T call() throws LibvirtException;
    }

    /** A libvirt-java call on a domain handle. */
    @FunctionalInterface
    private interface DomainCall<T> {
        T call(Domain domain) throws LibvirtException;
    }

    /** A libvirt-java call on a domain handle that answers nothing. */
    @FunctionalInterface
    private interface DomainAction {
        void run(Domain domain) throws LibvirtException;
    }

    /** A JNA call on a raw {@code virDomainPtr}. */
    @FunctionalInterface
    private interface NativeDomainCall<T> {
        T call(Pointer domain);
    }

    private static <T> T call(LibvirtCall<T> call) {
        try {
            return call.call();
        } catch (LibvirtException e) {
            throw translate(e);
        }
    }

    private <T> T withDomain(String name, DomainCall<T> call) {
        Domain domain = call(() -> connect.domainLookupByName(name));
        try {
            return call(() -> call.call(domain));
        } finally {
            free(domain);
        }
    }

    private void onDomain(String name, DomainAction action) {
        withDomain(name, handle -> {
            action.run(handle);
            return null;
        });
    }

    private <T> T withNativeDomain(String name, NativeDomainCall<T> call) {
        Pointer domain = nativeLibvirt.virDomainLookupByName(connect.pointer(), name);
        if (domain == null) {
            throw lastNativeError();
        }
        try {
            return call.call(domain);
        } finally {
            nativeLibvirt.virDomainFree(domain);
        }
    }

    private static void free(Domain domain) {
        try {
            domain.free();
        } catch (LibvirtException e) {
            // Freeing a handle fails only on an invalid handle; nothing to do about it.
        }
    }

    private int check(int result) {
        if (result < 0) {
            throw lastNativeError();
        }
        return result;
    }

    private LibvirtError lastNativeError() {
        int code = nativeLibvirt.virGetLastErrorCode();
        String message = nativeLibvirt.virGetLastErrorMessage();
        return new LibvirtError(code == 0 ? LibvirtError.INTERNAL_ERROR : code,
                message == null || message.isEmpty() ? "libvirt reported an error without a message" : message);
    }

    private static LibvirtError translate(LibvirtException e) {
        org.libvirt.Error error = e.getError();
        if (error == null) {
            return new LibvirtError(LibvirtError.INTERNAL_ERROR, String.valueOf(e.getMessage()), e);
        }
        int code = error.getCode() == null ? LibvirtError.INTERNAL_ERROR : error.getCode().ordinal();
        return new LibvirtError(code, String.valueOf(error.getMessage()), e);
    }

    /** libvirt-java's connection, opened read-write, exposing its {@code virConnectPtr} for {@link NativeLibvirt}. */
    private static final class OpenConnect extends Connect {

        OpenConnect(String uri) throws LibvirtException {
            super(uri, false);
        }

        Pointer pointer() {
            return vcp.getPointer();
        }
    }
}
