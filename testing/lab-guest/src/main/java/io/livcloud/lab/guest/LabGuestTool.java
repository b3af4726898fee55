package io.livcloud.lab.guest;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab guest from a shell, for the demo script and for people:
 * {@code java -cp livcloud-lab-guest.jar io.livcloud.lab.guest.LabGuestTool domain-xml --name demo --arch x86_64
 * --rate 10 --wss 64 --cache DIR --serial-log PATH --control-socket PATH} builds the image if needed and prints the
 * libvirt domain XML.
 */
public final class LabGuestTool {

    private LabGuestTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("domain-xml") || args.length % 2 == 0) {
            usage("expected: domain-xml --name NAME --arch x86_64|i686 [--rate MIB/S] [--wss MIB] [--memory MIB] "
                    + "[--cache DIR] --serial-log PATH --control-socket PATH");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("not an option: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("name", "arch", "serial-log", "control-socket")) {
            if (!options.containsKey(required)) {
                usage("missing --" + required);
            }
        }
        Path cache = options.containsKey("cache") ? Path.of(options.get("cache")) : LabGuest.defaultCacheDirectory();
        Files.createDirectories(cache);
        // The build reports its progress on standard output; keep that free for the XML.
        PrintStream xmlOut = System.out;
        System.setOut(System.err);
        GuestImage image = LabGuest.build(options.get("arch"), cache);
        System.setOut(xmlOut);
        DomainSpec spec = DomainSpec.of(options.get("name"), image, options.get("serial-log"),
                        options.get("control-socket"))
                .withDirtyRateMiBps(Integer.parseInt(options.getOrDefault("rate", "0")))
                .withWorkingSetMiB(Integer.parseInt(options.getOrDefault("wss", "64")))
                .withMemoryMiB(Integer.parseInt(options.getOrDefault("memory", "256")));
        System.out.println(LabGuest.domainXml(spec));
    }

    private static void usage(String problem) {
        System.err.println("LabGuestTool: " + problem);
        System.exit(2);
    }
}
