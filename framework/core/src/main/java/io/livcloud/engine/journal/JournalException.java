package io.livcloud.engine.journal;

import io.livcloud.LivCloudException;

/** The journal cannot be read or written: the engine stops rather than act without a record. */
public final class JournalException extends LivCloudException {

    private static final long serialVersionUID = 1L;

    public JournalException(String message, Throwable cause) {
        super(message, "check that the state directory is writable and not full; the journal is journal.db there",
                cause);
    }
}
