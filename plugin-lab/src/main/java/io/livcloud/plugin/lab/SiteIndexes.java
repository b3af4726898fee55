package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which index each site name has, kept in {@code <lab>/site-indexes} ({@code name=index} lines) so that a site keeps
 * its addresses across teardowns and restarts. A name keeps its index until another index is asked for it.
 */
final class SiteIndexes {

    private final Path file;

    SiteIndexes(Path labDirectory) {
        this.file = requireNonNull(labDirectory, "labDirectory is null").resolve("site-indexes");
    }

    /** Every name with its index, by name. */
    Map<String, Integer> all() {
        Map<String, Integer> indexes = new TreeMap<>();
        if (!Files.exists(file)) {
            return indexes;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                try {
                    indexes.put(trimmed.substring(0, equals).trim(),
                            Integer.parseInt(trimmed.substring(equals + 1).trim()));
                } catch (RuntimeException e) {
                    throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, file + " has the line '" + line
                            + "', not name=index", "correct or remove the line");
                }
            }
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot read " + file + ": " + e,
                    "check the lab directory's permissions", e);
        }
        return indexes;
    }

    /** The name's index, if it has one. */
    Optional<Integer> of(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /**
     * The name's index: the one asked for, else the one it has, else the smallest free one; kept.
     *
     * @throws ExtensionException {@link LabErrorCode#INVALID_SITE_SPEC} when the index asked for is another
     *     site's, or every index is taken
     */
    int assign(String name, OptionalInt requested) {
        Map<String, Integer> indexes = all();
        Integer current = indexes.get(name);
        int index;
        if (requested.isPresent()) {
            index = requested.getAsInt();
            for (Map.Entry<String, Integer> other : indexes.entrySet()) {
                if (other.getValue() == index && !other.getKey().equals(name)) {
                    throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + name + " asks for index "
                            + index + ", which is site " + other.getKey() + "'s (kept in " + file + ")",
                            "choose another index, or leave index out to get a free one");
                }
            }
        } else if (current != null) {
            return current;
        } else {
            index = LabSite.FIRST_INDEX;
            while (indexes.containsValue(index)) {
                index++;
            }
            if (index > LabSite.LAST_INDEX) {
                throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "the lab has no free index for site "
                        + name + ": all " + LabSite.LAST_INDEX + " are kept in " + file,
                        "remove the lines of sites you no longer use from " + file);
            }
        }
        if (current == null || current != index) {
            indexes.put(name, index);
            write(indexes);
        }
        return index;
    }

    private void write(Map<String, Integer> indexes) {
        StringBuilder text = new StringBuilder("# The lab's site indexes: site 'name=i' has the address 10.99.0.<i+1>"
                + " and the VM subnet 10.99.<10+i>.0/24.\n");
        indexes.forEach((name, index) -> text.append(name).append('=').append(index).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write " + file + ": " + e,
                    "check the lab directory's permissions", e);
        }
    }
}
