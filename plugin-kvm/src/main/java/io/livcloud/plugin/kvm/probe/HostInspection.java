package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.probe.Evidence;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gathers the facts about a host's virtualization from its files and devices, without starting anything. Shared by the
 * register probe and the kvm hypervisor's {@code accelerator = auto}, and by this machine and hosts reached through
 * host access: only the reading of files and devices differs between the two.
 */
public final class HostInspection {

    static final String CPUINFO = "/proc/cpuinfo";
    static final String CONFIG = "/proc/config.gz";
    static final String CMDLINE = "/proc/cmdline";
    static final String HYPERVISOR_TYPE = "/sys/hypervisor/type";
    static final String DMI = "/sys/class/dmi/id/";
    static final List<String> BACKENDS = List.of("kvm_intel", "kvm_amd", "kvm_pvm");
    static final List<String> CONFIG_OPTIONS = List.of("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD",
            "CONFIG_KVM_PVM", "CONFIG_PVM_GUEST", "CONFIG_MODULES", "CONFIG_X86_CPUID", "CONFIG_X86_MSR");
    /** KVM_CHECK_EXTENSION capabilities worth reporting, by number. */
    static final Map<Integer, String> CAPABILITIES = capabilities();

    private static final int FEATURE_CONTROL = 0x3A;
    private static final long VM_CR = 0xC0010114L;
    private static final int VMX_CR4_FIXED0 = 0x488;
    private static final int VMX_CR4_FIXED1 = 0x489;
    private static final long CR4_VMXE = 1L << 13;

    private final HostFiles files;
    private final HostDevices devices;
    private final List<Evidence> evidence = new ArrayList<>();

    private HostInspection(HostFiles files, HostDevices devices) {
        this.files = files;
        this.devices = devices;
    }

    /** This machine. */
    public static HostFacts ofThisMachine() {
        return inspect(HostFiles.system(), new LinuxHostDevices());
    }

    /**
     * Another host, through its host access: the same reads, made there ({@link RemoteHostFiles},
     * {@link RemoteHostDevices}).
     *
     * @throws io.livcloud.spi.ExtensionException only when the host cannot be reached
     */
    public static HostFacts ofHost(HostAccess host) {
        return inspect(new RemoteHostFiles(host), new RemoteHostDevices(host));
    }

    /** Inspects the host those files and devices belong to. */
    public static HostFacts inspect(HostFiles files, HostDevices devices) {
        return new HostInspection(files, devices).run();
    }

    private static Map<Integer, String> capabilities() {
        Map<Integer, String> capabilities = new LinkedHashMap<>();
        capabilities.put(3, "KVM_CAP_USER_MEMORY");
        capabilities.put(9, "KVM_CAP_NR_VCPUS");
        capabilities.put(66, "KVM_CAP_MAX_VCPUS");
        capabilities.put(157, "KVM_CAP_NESTED_STATE");
        return capabilities;
    }

    private void add(String item, String value, String source, String note) {
        evidence.add(new Evidence(item, value, source, note));
    }

    private HostFacts run() {
        Reading<String> cpuinfo = files.text(CPUINFO);
        String vendor = cpuinfo.value().flatMap(text -> cpuinfoField(text, "vendor_id")).orElse("");
        add("cpu vendor", vendor.isEmpty() ? cpuinfo.describe() : vendor, CPUINFO, cpuinfo.reason());
        String model = cpuinfo.value().flatMap(text -> cpuinfoField(text, "model name")).orElse("");
        add("cpu model name", model.isEmpty() ? cpuinfo.describe() : model, CPUINFO, cpuinfo.reason());
        Set<String> flags = cpuinfo.value().map(HostInspection::cpuinfoFlags).orElse(Set.of());
        for (String flag : List.of("vmx", "svm", "hypervisor")) {
            add("cpu flag " + flag, cpuinfo.value().isEmpty() ? cpuinfo.describe()
                    : flags.contains(flag) ? "present" : "absent", CPUINFO, flagNote(flag));
        }

        Optional<Boolean> cpuidVmx = cpuidBit(1, 2, 5, "CPUID.1:ECX[5] (VMX)", "Intel VT-x as the CPU reports it");
        Optional<Boolean> cpuidSvm = cpuidBit(0x80000001L, 2, 2, "CPUID.80000001h:ECX[2] (SVM)",
                "AMD-V as the CPU reports it");
        Optional<Boolean> cpuidHypervisor = cpuidBit(1, 2, 31, "CPUID.1:ECX[31] (hypervisor)",
                "set by every hypervisor for its guests");
        String signature = hypervisorSignature(cpuidHypervisor.orElse(flags.contains("hypervisor")));
        // The kernel's flags win: it drops vmx when firmware disabled VT-x. CPUID counts only without /proc/cpuinfo.
        Set<String> cpuidFlags = new LinkedHashSet<>();
        cpuidVmx.filter(Boolean::booleanValue).ifPresent(set -> cpuidFlags.add("vmx"));
        cpuidSvm.filter(Boolean::booleanValue).ifPresent(set -> cpuidFlags.add("svm"));
        Optional<String> hardwareFlag = hardwareFlag(cpuinfo.value().isPresent() ? flags : cpuidFlags);
        // Firmware's switch is an MSR: IA32_FEATURE_CONTROL on Intel, VM_CR on AMD (each reserved on the other).
        boolean blocked = "GenuineIntel".equals(vendor) ? featureControlBlocksVmx()
                : "AuthenticAMD".equals(vendor) && vmCrDisablesSvm();
        if ("GenuineIntel".equals(vendor) && cpuidVmx.orElse(flags.contains("vmx"))) {
            cr4VmxeAllowed();
        }

        Reading<Boolean> openable = devices.kvmOpenable();
        add("/dev/kvm", files.exists(LinuxHostDevices.KVM) || openable.value().isPresent()
                ? openable.value().isPresent() ? "present, opens read-write" : "present, " + openable.describe()
                : "absent", LinuxHostDevices.KVM, openable.reason());
        boolean kvmUsable = false;
        if (openable.value().isPresent()) {
            Reading<Integer> api = devices.kvmApiVersion();
            add("KVM_GET_API_VERSION", api.describe(), "ioctl(/dev/kvm, 0xAE00)",
                    api.value().isPresent() ? "12 is the only stable API" : api.reason());
            kvmUsable = api.value().map(version -> version == 12).orElse(false);
            CAPABILITIES.forEach((number, name) -> {
                Reading<Integer> answer = devices.kvmCheckExtension(number);
                add(name + " (" + number + ")", answer.describe(), "ioctl(/dev/kvm, 0xAE03 KVM_CHECK_EXTENSION)",
                        answer.reason());
            });
        }

        Set<String> backends = new LinkedHashSet<>();
        for (String backend : BACKENDS) {
            String directory = "/sys/module/" + backend;
            boolean loaded = files.exists(directory);
            if (loaded) {
                backends.add(backend);
            }
            add("kvm backend " + backend, loaded ? "loaded" : "absent", directory, loaded ? parameters(backend) : "");
        }
        Reading<String> config = files.gzipText(CONFIG);
        Map<String, String> options = config.value().map(HostInspection::configOptions).orElse(Map.of());
        for (String option : CONFIG_OPTIONS) {
            add(option, config.value().isEmpty() ? config.describe() : options.getOrDefault(option, "not set"),
                    CONFIG, config.reason());
        }
        // A built-in backend has a /sys/module directory only when it has parameters; the kernel config settles it.
        if ("y".equals(options.get("CONFIG_KVM_INTEL"))) {
            backends.add("kvm_intel");
        }
        if ("y".equals(options.get("CONFIG_KVM_AMD"))) {
            backends.add("kvm_amd");
        }
        if ("y".equals(options.get("CONFIG_KVM_PVM"))) {
            backends.add("kvm_pvm");
        }
        Reading<String> cmdline = files.text(CMDLINE);
        List<String> relevant = cmdline.value().map(HostInspection::virtualizationArguments).orElse(List.of());
        add("kernel command line (virtualization)", cmdline.value().isEmpty() ? cmdline.describe()
                : relevant.isEmpty() ? "none" : String.join(" ", relevant), CMDLINE,
                "arguments naming kvm, pvm or nested; e.g. nested_pvm=1 lets this kernel run as a PVM host");

        String platform = platform(signature, cpuidHypervisor.orElse(flags.contains("hypervisor")));
        return new HostFacts(vendor, hardwareFlag, blocked, kvmUsable, backends,
                !"not set".equals(options.getOrDefault("CONFIG_MODULES", "y")), platform, evidence);
    }

    private static String flagNote(String flag) {
        return switch (flag) {
            case "vmx" -> "Intel VT-x usable by this kernel (dropped when firmware disabled it)";
            case "svm" -> "AMD-V usable by this kernel";
            default -> "this kernel runs as a guest of a hypervisor";
        };
    }

    private Optional<Boolean> cpuidBit(long leaf, int register, int bit, String item, String note) {
        Reading<int[]> answer = devices.cpuid(leaf);
        Optional<Boolean> set = answer.value().map(registers -> (registers[register] >>> bit & 1) == 1);
        add(item, set.map(value -> value ? "1" : "0").orElse(answer.describe()), LinuxHostDevices.CPUID,
                answer.value().isPresent() ? note : answer.reason());
        return set;
    }

    private String hypervisorSignature(boolean hypervisorBit) {
        if (!hypervisorBit) {
            add("CPUID.40000000h vendor signature", "none", LinuxHostDevices.CPUID,
                    "no hypervisor bit: leaf 0x40000000 is not a hypervisor's");
            return "";
        }
        Reading<int[]> answer = devices.cpuid(0x40000000L);
        Optional<String> signature = answer.value().map(registers -> {
            ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(registers[1]).putInt(registers[2]).putInt(registers[3]);
            return new String(buffer.array(), StandardCharsets.US_ASCII).replace("\0", "").strip();
        });
        add("CPUID.40000000h vendor signature", signature.orElse(answer.describe()), LinuxHostDevices.CPUID,
                signature.isPresent() ? "KVMKVMKVM, XenVMMXenVMM, Microsoft Hv, VMwareVMware, ..." : answer.reason());
        return signature.orElse("");
    }

    private boolean featureControlBlocksVmx() {
        Reading<Long> value = devices.msr(FEATURE_CONTROL);
        add("IA32_FEATURE_CONTROL (0x3A)", value.value().map(v -> "0x" + Long.toHexString(v)).orElse(value.describe()),
                LinuxHostDevices.MSR, value.value().map(v -> "lock bit 0 = " + (v & 1) + ", VMX outside SMX bit 2 = "
                        + (v >> 2 & 1)).orElse(value.reason()));
        return value.value().map(v -> (v & 1) == 1 && (v >> 2 & 1) == 0).orElse(false);
    }

    private boolean vmCrDisablesSvm() {
        Reading<Long> value = devices.msr(VM_CR);
        add("VM_CR (0xC0010114)", value.value().map(v -> "0x" + Long.toHexString(v)).orElse(value.describe()),
                LinuxHostDevices.MSR, value.value().map(v -> "lock bit 3 = " + (v >> 3 & 1) + ", SVMDIS bit 4 = "
                        + (v >> 4 & 1)).orElse(value.reason()));
        return value.value().map(v -> (v >> 4 & 1) == 1).orElse(false);
    }

    private void cr4VmxeAllowed() {
        Reading<Long> fixed0 = devices.msr(VMX_CR4_FIXED0);
        Reading<Long> fixed1 = devices.msr(VMX_CR4_FIXED1);
        add("IA32_VMX_CR4_FIXED0 (0x488)", fixed0.value().map(v -> "0x" + Long.toHexString(v))
                .orElse(fixed0.describe()), LinuxHostDevices.MSR, fixed0.reason());
        add("IA32_VMX_CR4_FIXED1 (0x489)", fixed1.value().map(v -> "0x" + Long.toHexString(v))
                .orElse(fixed1.describe()), LinuxHostDevices.MSR, fixed1.reason());
        add("CR4.VMXE (bit 13) may be set", fixed1.value().map(v -> (v & CR4_VMXE) != 0 ? "yes" : "no")
                .orElse("unknown"), LinuxHostDevices.MSR + " 0x489", "a 1 in IA32_VMX_CR4_FIXED1 bit 13 allows VMXON");
    }

    private String parameters(String backend) {
        String directory = "/sys/module/" + backend + "/parameters";
        return files.list(directory).stream()
                .filter(name -> name.equals("nested") || backend.equals("kvm_pvm"))
                .map(name -> name + "=" + files.text(directory + "/" + name).value().orElse("?"))
                .collect(Collectors.joining(" "));
    }

    private String platform(String signature, boolean hypervisorBit) {
        String sysVendor = dmi("sys_vendor");
        String productName = dmi("product_name");
        String biosVendor = dmi("bios_vendor");
        String biosVersion = dmi("bios_version");
        dmi("board_vendor");
        Reading<String> hypervisorType = files.text(HYPERVISOR_TYPE);
        add("hypervisor type", hypervisorType.describe(), HYPERVISOR_TYPE, hypervisorType.reason());
        String all = String.join(" ", sysVendor, productName, biosVendor, biosVersion).toLowerCase(Locale.ROOT);
        String platform;
        if (all.contains("amazon")) {
            platform = "xen".equals(hypervisorType.value().orElse("")) || signature.startsWith("XenVMM")
                    ? "EC2 Xen" : hypervisorBit ? "EC2 Nitro" : "EC2 bare metal";
        } else if (sysVendor.startsWith("Microsoft") && productName.contains("Virtual Machine")) {
            platform = "Azure";
        } else if (sysVendor.startsWith("Google") || productName.contains("Google Compute Engine")) {
            platform = "GCP";
        } else if ("xen".equals(hypervisorType.value().orElse("")) || signature.startsWith("XenVMM")) {
            platform = "Xen guest";
        } else if (signature.startsWith("KVMKVMKVM") || sysVendor.equals("QEMU")) {
            platform = "KVM guest";
        } else if (signature.startsWith("Microsoft Hv")) {
            platform = "Hyper-V guest";
        } else if (!hypervisorBit) {
            platform = "bare metal";
        } else {
            platform = "unknown";
        }
        add("platform", platform, "DMI, /sys/hypervisor/type, CPUID.40000000h", "");
        return platform;
    }

    private String dmi(String name) {
        Reading<String> value = files.text(DMI + name);
        add("dmi " + name, value.describe(), DMI + name, value.reason());
        return value.value().orElse("");
    }

    /** The value of the first {@code name : value} line of a {@code /proc/cpuinfo}. */
    static Optional<String> cpuinfoField(String cpuinfo, String name) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith(name) && line.indexOf(':') > 0
                        && line.substring(0, line.indexOf(':')).strip().equals(name))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst();
    }

    /** The flags of all {@code flags : …} lines of a {@code /proc/cpuinfo}. */
    public static Set<String> cpuinfoFlags(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags"))
                .map(line -> line.substring(line.indexOf(':') + 1))
                .flatMap(flags -> Arrays.stream(flags.trim().split("\\s+")))
                .filter(flag -> !flag.isEmpty())
                .collect(Collectors.toSet());
    }

    /** {@code vmx} or {@code svm} when the flags have one: the CPU flag that lets KVM run guests in hardware. */
    public static Optional<String> hardwareFlag(Set<String> cpuFlags) {
        return cpuFlags.contains("vmx") ? Optional.of("vmx")
                : cpuFlags.contains("svm") ? Optional.of("svm") : Optional.empty();
    }

    static Map<String, String> configOptions(String config) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String line : config.lines().toList()) {
            if (line.startsWith("CONFIG_") && line.contains("=")) {
                options.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                options.put(line.substring(2, line.length() - " is not set".length()), "not set");
            }
        }
        return options;
    }

    static List<String> virtualizationArguments(String cmdline) {
        String kernelPart = cmdline.contains(" -- ") ? cmdline.substring(0, cmdline.indexOf(" -- ")) : cmdline;
        return Arrays.stream(kernelPart.split("\\s+"))
                .filter(argument -> argument.contains("kvm") || argument.contains("pvm")
                        || argument.contains("nested"))
                .toList();
    }
}
