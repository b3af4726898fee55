package io.livcloud.plugin.azure;

import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Azure VM sizes can run a hypervisor with hardware acceleration: a curated list, because Azure's APIs do not
 * say. Neither the resource SKUs API nor the VM sizes API has a capability for nested virtualization; Microsoft
 * documents it per size series, in the "Feature support" table of each series page under
 * https://learn.microsoft.com/azure/virtual-machines/sizes/ ("Nested Virtualization: Supported / Not Supported").
 *
 * <p>The list is deliberately short: only series whose page says so (or, for Dv3/Dsv3, the announcement that introduced
 * nested virtualization on Azure with them) are allowed; series whose page says "Not Supported" are refused with that
 * reason; everything else is {@link NestedVirtualization#UNKNOWN}, never guessed from the family letter. Add a series
 * only with its source.
 *
 * <p>Every allowed size needs the VM's security type Standard: Trusted Launch, Azure's default for new Gen2 VMs, does
 * not expose VT-x to the guest on these series (https://learn.microsoft.com/azure/virtual-machines/trusted-launch),
 * so the provisioner always sets {@code securityProfile.securityType = Standard} and the probe names it as required.
 */
final class AzureVmSizes {

    /** The launch option every nested-capable size needs, as the probe shows it. */
    static final String SECURITY_TYPE_OPTION = "securityProfile.securityType";
    /** Its value: no Trusted Launch, no confidential VM. */
    static final String SECURITY_TYPE_STANDARD = "Standard";

    private static final String SERIES_PAGES = "https://learn.microsoft.com/azure/virtual-machines/sizes/";

    /**
     * {@code Standard_<family><vCPUs>[-<constrained vCPUs>]<additive features>[_v<version>]}, e.g. Standard_D4s_v5,
     * Standard_E8-4ds_v5, Standard_NC6s_v3, Standard_B2s. Sizes are case-insensitive in Azure's API.
     */
    private static final Pattern SIZE = Pattern.compile(
            "standard_([a-z]+)(\\d+)(?:-\\d+)?([a-z]*)(?:_v(\\d+))?", Pattern.CASE_INSENSITIVE);

    /** A size series as its documentation page names it (e.g. Dsv5), the verdict, and where that comes from. */
    private record Series(String name, boolean nested, String source) {
    }

    /** Keyed by the series name in lower case. Sources checked against the pages in May 2026. */
    private static final Map<String, Series> SERIES = index(
            // Nested virtualization on Azure was introduced with Dv3 and Ev3 (Azure blog, "Nested Virtualization in
            // Azure", July 2017: "available on the new Dv3 and Ev3 VM sizes"; the issue's decision, too).
            new Series("Dv3", true, "https://azure.microsoft.com/blog/nested-virtualization-in-azure/"),
            new Series("Dsv3", true, "https://azure.microsoft.com/blog/nested-virtualization-in-azure/"),
            new Series("Ev3", true, SERIES_PAGES + "memory-optimized/ev3-esv3-series (Nested Virtualization: Supported)"),
            new Series("Esv3", true, SERIES_PAGES + "memory-optimized/ev3-esv3-series (Nested Virtualization: Supported)"),
            new Series("Dsv5", true, SERIES_PAGES + "general-purpose/dsv5-series (Nested Virtualization: Supported)"),
            new Series("Dasv5", true, SERIES_PAGES + "general-purpose/dasv5-series (Nested Virtualization: Supported)"),
            new Series("Dlsv5", true, SERIES_PAGES + "general-purpose/dlsv5-series (Nested Virtualization: Supported)"),
            new Series("Esv5", true, SERIES_PAGES + "memory-optimized/esv5-series (Nested Virtualization: Supported)"),
            // Documented as not supported.
            new Series("Dv2", false, SERIES_PAGES + "general-purpose/dv2-series (Nested Virtualization: Not Supported)"),
            new Series("Dasv4", false,
                    SERIES_PAGES + "general-purpose/dasv4-series (Nested Virtualization: Not Supported)"),
            new Series("Dpsv5", false, SERIES_PAGES + "general-purpose/dpsv5-series (Nested Virtualization: Not"
                    + " supported; Arm64 Ampere Altra)"));

    private AzureVmSizes() {
    }

    /**
     * What the documentation says about a size: available with security type Standard, unavailable, or unknown (not
     * in the list, or not a size name at all), each with the reason and its source.
     */
    static InstanceTypeCapability capability(String size) {
        Optional<String> series = seriesOf(size);
        if (series.isEmpty()) {
            return new InstanceTypeCapability(size, NestedVirtualization.UNKNOWN,
                    List.of("'" + size + "' is not an Azure VM size name (Standard_<family><vCPUs><features>_v<n>,"
                            + " e.g. Standard_D4s_v5)"), Map.of());
        }
        String name = series.get();
        Series known = SERIES.get(name.toLowerCase(Locale.ROOT));
        if (name.toUpperCase(Locale.ROOT).startsWith("N")) {
            // N-series: GPU sizes; none is documented with nested virtualization, and the issue rules them out.
            return new InstanceTypeCapability(size, NestedVirtualization.UNAVAILABLE,
                    List.of("the " + name + " series is an N-series (GPU) size, which Azure documents without nested"
                            + " virtualization (" + SERIES_PAGES + "overview#gpu-accelerated)"), Map.of());
        }
        if (known == null) {
            return new InstanceTypeCapability(size, NestedVirtualization.UNKNOWN,
                    List.of("the " + name + " series is not in LivCloud's list of nested-capable series; its page under "
                            + SERIES_PAGES + " says under Feature support whether it has Nested Virtualization",
                            "sizes known to work: " + allowedSeries()), Map.of());
        }
        List<String> reasons = new ArrayList<>();
        if (!known.nested()) {
            reasons.add("the " + known.name() + " series has no nested virtualization: " + known.source());
            reasons.add("sizes known to work: " + allowedSeries());
            return new InstanceTypeCapability(size, NestedVirtualization.UNAVAILABLE, reasons, Map.of());
        }
        reasons.add("the " + known.name() + " series supports nested virtualization: " + known.source());
        reasons.add("only with security type Standard: Trusted Launch (Azure's default for Gen2 VMs) blocks it");
        return new InstanceTypeCapability(size, NestedVirtualization.AVAILABLE_WITH_OPTION, reasons,
                Map.of(SECURITY_TYPE_OPTION, SECURITY_TYPE_STANDARD));
    }

    /**
     * The size's series as its documentation names it: family letters in upper case, additive features in lower case,
     * then {@code v<version>} ({@code Standard_D4s_v5} → {@code Dsv5}; no {@code _v} suffix is version 1, named
     * without it, e.g. {@code Standard_B2s} → {@code Bs}).
     */
    static Optional<String> seriesOf(String size) {
        Matcher matcher = SIZE.matcher(size.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String family = matcher.group(1).toUpperCase(Locale.ROOT);
        String features = matcher.group(3).toLowerCase(Locale.ROOT);
        String version = matcher.group(4) == null ? "" : "v" + matcher.group(4);
        return Optional.of(family + features + version);
    }

    /** The allowed series, for messages: e.g. "Dv3, Dsv3, …". */
    static String allowedSeries() {
        return String.join(", ", SERIES.values().stream().filter(Series::nested).map(Series::name).toList());
    }

    private static Map<String, Series> index(Series... series) {
        Map<String, Series> index = new LinkedHashMap<>();
        for (Series each : series) {
            index.put(each.name().toLowerCase(Locale.ROOT), each);
        }
        return Collections.unmodifiableMap(index);
    }
}
