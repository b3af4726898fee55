package io.livcloud.plugin.toolkit.process;

import io.livcloud.spi.ErrorCode;

/**
 * Why {@link ProcessRunner} could not run a program, the same for every plugin; {@link #code()} is what users see. A
 * program that runs and fails, or is killed at its timeout, is no error: its result says so.
 */
public enum ProcessErrorCode implements ErrorCode {
    /** The program is neither on PATH nor in the sbin folders (nor, for a path, an executable file there). */
    PROGRAM_NOT_FOUND,
    /** The program is there but the operating system would not start it: not executable, wrong format, no memory. */
    START_FAILED,
    /** The calling thread was interrupted while it waited; the program was stopped. */
    INTERRUPTED;

    @Override
    public String code() {
        return "PROCESS_" + name();
    }
}
