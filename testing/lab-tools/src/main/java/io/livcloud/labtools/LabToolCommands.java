package io.livcloud.labtools;

import io.livcloud.cli.CommandGroup;
import java.util.List;

/** {@code livcloud lab}, {@code demo} and {@code bench}, which the CLI finds through {@link java.util.ServiceLoader}. */
public final class LabToolCommands implements CommandGroup {

    @Override
    public List<Object> commands() {
        return List.of(new LabCommand(), new DemoCommand(), new BenchCommand());
    }
}
