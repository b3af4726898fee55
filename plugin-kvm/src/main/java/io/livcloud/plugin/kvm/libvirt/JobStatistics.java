package io.livcloud.plugin.kvm.libvirt;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code virDomainGetJobStats}'s answer: the job type and the typed statistics ({@code VIR_DOMAIN_JOB_*} fields).
 *
 * @param type the job type, e.g. {@link #UNBOUNDED} while a migration runs
 * @param values the fields by name: {@link Long} for integers of any width, {@link Double}, {@link Boolean} or
 *     {@link String}
 */
public record JobStatistics(int type, Map<String, Object> values) {

    /** {@code VIR_DOMAIN_JOB_NONE}: no job. */
    public static final int NONE = 0;
    /** {@code VIR_DOMAIN_JOB_BOUNDED}: a job with a known end. */
    public static final int BOUNDED = 1;
    /** {@code VIR_DOMAIN_JOB_UNBOUNDED}: a job with no known end, e.g. a migration. */
    public static final int UNBOUNDED = 2;
    /** {@code VIR_DOMAIN_JOB_COMPLETED}. */
    public static final int COMPLETED = 3;
    /** {@code VIR_DOMAIN_JOB_FAILED}. */
    public static final int FAILED = 4;
    /** {@code VIR_DOMAIN_JOB_CANCELLED}. */
    public static final int CANCELLED = 5;

    /** {@code VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT}, the value of {@link #OPERATION}. */
    public static final long OPERATION_MIGRATION_OUT = 5;

    /** {@code VIR_DOMAIN_JOB_OPERATION}: what the job does. */
    public static final String OPERATION = "operation";
    /** {@code VIR_DOMAIN_JOB_TIME_ELAPSED}, ms. */
    public static final String TIME_ELAPSED = "time_elapsed";
    /** {@code VIR_DOMAIN_JOB_DOWNTIME}, ms: expected while running, actual once completed. */
    public static final String DOWNTIME = "downtime";
    /** {@code VIR_DOMAIN_JOB_DATA_PROCESSED}: memory and disks, bytes. */
    public static final String DATA_PROCESSED = "data_processed";
    /** {@code VIR_DOMAIN_JOB_MEMORY_TOTAL}, bytes. */
    public static final String MEMORY_TOTAL = "memory_total";
    /** {@code VIR_DOMAIN_JOB_MEMORY_PROCESSED}, bytes. */
    public static final String MEMORY_PROCESSED = "memory_processed";
    /** {@code VIR_DOMAIN_JOB_MEMORY_REMAINING}, bytes. */
    public static final String MEMORY_REMAINING = "memory_remaining";
    /** {@code VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE}, pages per second. */
    public static final String MEMORY_DIRTY_RATE = "memory_dirty_rate";
    /** {@code VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE}, bytes. */
    public static final String MEMORY_PAGE_SIZE = "memory_page_size";
    /** {@code VIR_DOMAIN_JOB_MEMORY_ITERATION}: the pre-copy pass. */
    public static final String MEMORY_ITERATION = "memory_iteration";
    /** {@code VIR_DOMAIN_JOB_MEMORY_BPS}: the stream's throughput, bytes per second. */
    public static final String MEMORY_BPS = "memory_bps";
    /** {@code VIR_DOMAIN_JOB_DISK_PROCESSED}, bytes. */
    public static final String DISK_PROCESSED = "disk_processed";
    /** {@code VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE}, percent. */
    public static final String AUTO_CONVERGE_THROTTLE = "auto_converge_throttle";
    /** {@code VIR_DOMAIN_JOB_ERRMSG}: why a failed job failed. */
    public static final String ERROR_MESSAGE = "errmsg";

    public JobStatistics {
        values = Map.copyOf(Objects.requireNonNull(values, "values is null"));
    }

    /** No job. */
    public static JobStatistics none() {
        return new JobStatistics(NONE, Map.of());
    }

    /** Whether a job is running. */
    public boolean active() {
        return type == BOUNDED || type == UNBOUNDED;
    }

    /** An integer field. */
    public OptionalLong number(String name) {
        return values.get(name) instanceof Number number ? OptionalLong.of(number.longValue()) : OptionalLong.empty();
    }

    /** A string field. */
    public Optional<String> text(String name) {
        return values.get(name) instanceof String text ? Optional.of(text) : Optional.empty();
    }
}
