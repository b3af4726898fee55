package io.livcloud.cli.plugins;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.PluginState;
import io.livcloud.PluginStatus;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code livcloud plugins}: what is installed, what runs, what it provides, and why anything failed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List installed plugins: id, version, state, the extensions each provides and whether they can "
                + "work here, and why a plugin failed.",
                "Exit code 4 if any plugin failed, 3 if the configuration has problems."})
public final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Mixin

    OutputOption output;

    @Override
    public Integer call() {
        try (LivCloud livCloud = cli.open(true)) {
            List<PluginStatus> plugins = livCloud.plugins();
            List<String> problems = livCloud.problems();
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                out.println(Json.write(document(plugins, problems)));
            } else {
                printText(out, livCloud, plugins, problems);
            }
            out.flush();
            if (plugins.stream().anyMatch(plugin -> plugin.state() == PluginState.FAILED)) {
                return ExitCodes.PLUGIN_FAILURE;
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_CONFIGURATION;
        }
    }

    private static void printText(PrintWriter out, LivCloud livCloud, List<PluginStatus> plugins,
            List<String> problems) {
        if (plugins.isEmpty()) {
            out.println("No plugins installed in " + livCloud.pluginDirectories() + ".");
        }
        int idWidth = plugins.stream().mapToInt(plugin -> plugin.id().length()).max().orElse(2);
        int versionWidth = plugins.stream().mapToInt(plugin -> plugin.version().length()).max().orElse(7);
        for (PluginStatus plugin : plugins) {
            out.printf("%-" + idWidth + "s  %-" + versionWidth + "s  %-8s  %s%n", plugin.id(),
                    plugin.version().isEmpty() ? "-" : plugin.version(), plugin.state(), plugin.path());
            plugin.failure().ifPresent(reason -> out.println("    failed: " + reason));
            for (ExtensionStatus extension : plugin.extensions()) {
                String support = extension.support().supported()
                        ? "usable here"
                        : "not usable here: " + extension.support().reason()
                                + (extension.support().remedy().isEmpty() ? "" : "; fix: " + extension.support().remedy());
                out.println("    " + extension.kind().configName() + " '" + extension.name() + "': " + support);
            }
        }
        if (!problems.isEmpty()) {
            out.println();
            out.println("Problems:");
            problems.forEach(problem -> out.println("  - " + problem));
        }
    }

    private static Map<String, Object> document(List<PluginStatus> plugins, List<String> problems) {
        List<Map<String, Object>> pluginDocuments = new ArrayList<>();
        for (PluginStatus plugin : plugins) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("id", plugin.id());
            document.put("version", plugin.version());
            document.put("state", plugin.state().name());
            document.put("path", plugin.path().toString());
            document.put("description", plugin.description());
            List<Map<String, Object>> extensions = new ArrayList<>();
            for (ExtensionStatus extension : plugin.extensions()) {
                Map<String, Object> extensionDocument = new LinkedHashMap<>();
                extensionDocument.put("kind", extension.kind().configName());
                extensionDocument.put("name", extension.name());
                extensionDocument.put("description", extension.description());
                extensionDocument.put("supported", extension.support().supported());
                extensionDocument.put("reason", extension.support().reason());
                extensionDocument.put("remedy", extension.support().remedy());
                extensions.add(extensionDocument);
            }
            document.put("extensions", extensions);
            document.put("failure", plugin.failure().orElse(null));
            pluginDocuments.add(document);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("plugins", pluginDocuments);
        document.put("problems", problems);
        return document;
    }
}
