package io.livcloud.plugin.kvm.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One open libvirt connection ({@code virConnectPtr}). Domains are named rather than held, so no handle outlives a
 * call. Thread-safe, as libvirt's connections are: a migration blocks one thread while others read its statistics
 * or abort it. Every method throws {@link LibvirtError} when libvirt reports an error.
 */
public interface LibvirtConnection extends AutoCloseable {

    /** The URI the connection was opened with. */
    String uri();

    /** {@code virConnectGetHostname}. */
    String hostname();

    /** {@code virConnectGetCapabilities}: the host's capabilities XML. */
    String capabilitiesXml();

    /** {@code virNodeGetInfo}. */
    NodeInfo nodeInfo();

    /** {@code virNodeGetFreeMemory}, in bytes. */
    long freeMemoryBytes();

    /** {@code virConnectGetLibVersion}: the daemon's libvirt version, {@code major * 1,000,000 + minor * 1,000 + micro}. */
    long libvirtVersion();

    /** {@code virConnectGetVersion}: the hypervisor's (QEMU's) version, encoded like {@link #libvirtVersion()}. */
    long hypervisorVersion();

    /** {@code virConnectListAllDomains}: the names of all domains, running or only defined. */
    List<String> domainNames();

    /** {@code virDomainGetXMLDesc} with no flags: the live XML of a running domain, else its persistent XML. */
    String domainXml(String domain);

    /** {@code virDomainGetState}: state and reason. */
    DomainState domainState(String domain);

    /** {@code virDomainIsPersistent}: whether the domain has a persistent definition (not only a running one). */
    boolean isPersistent(String domain);

    /** {@code virDomainGetBlockInfo}: the virtual size of the disk with this target (e.g. {@code vda}) in bytes. */
    long diskCapacityBytes(String domain, String diskTarget);

    /** {@code virConnectCompareCPU}: the CPU described by {@code cpuXml} against this host's CPU. */
    CpuComparison compareCpu(String cpuXml);

    /**
     * {@code virConnectCompareHypervisorCPU}: the CPU described by {@code cpuXml} against the CPU the hypervisor can
     * give a guest of this architecture and virtualization type ({@code kvm} or {@code qemu}) here.
     */
    CpuComparison compareHypervisorCpu(String architecture, String virtualizationType, String cpuXml);

    /** {@code virConnectBaselineCPU}: the most capable CPU all the given CPUs provide, as a {@code <cpu>} element. */
    String baselineCpu(List<String> cpuXmls);

    /**
     * {@code virDomainMigrateToURI3}: migrates the domain and blocks until the migration ended.
     *
     * @param destinationUri the destination libvirtd, as the source libvirtd reaches it (peer-to-peer)
     * @param parameters the typed parameters ({@code VIR_MIGRATE_PARAM_*}); a name may repeat
     * @param flags the {@code VIR_MIGRATE_*} flags
     * @throws LibvirtError if it failed or was aborted; the domain then runs on the source
     */
    void migrate(String domain, String destinationUri, List<MigrationParameter> parameters, Set<MigrationFlag> flags);

    /**
     * {@code virDomainGetJobStats}.
     *
     * @param completed {@code false}: the running job; {@code true}: the last completed job, which libvirt keeps
     *     ({@code VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED})
     */
    JobStatistics jobStatistics(String domain, boolean completed);

    /** {@code virDomainAbortJob}. */
    void abortJob(String domain);

    /** {@code virDomainMigrateSetMaxDowntime}: the pause a running migration may take at switch-over. */
    void setMaxDowntime(String domain, Duration downtime);

    /** {@code virDomainMigrateSetMaxSpeed}: the migration stream's cap, in MiB/s. */
    void setMaxSpeed(String domain, long mebibytesPerSecond);

    /** {@code virDomainMigrateStartPostCopy}. */
    void startPostCopy(String domain);

    /**
     * {@code virDomainResume}: lets a paused domain run again. libvirt does nothing for a running domain and refuses
     * ({@link LibvirtError#OPERATION_INVALID}) one that is shut off.
     */
    void resume(String domain);

    /**
     * {@code virDomainDestroy}: kills the domain's QEMU at once. A persistent domain stays defined, shut off; a
     * transient one is gone. libvirt refuses ({@link LibvirtError#OPERATION_INVALID}) a domain that is shut off.
     */
    void destroy(String domain);

    /**
     * {@code virDomainUndefine}: removes the persistent definition of a domain. Beware: for a domain that runs,
     * libvirt does not refuse but leaves it running as a transient domain.
     */
    void undefine(String domain);

    /** {@code virConnectClose}. */
    @Override
    void close();
}
