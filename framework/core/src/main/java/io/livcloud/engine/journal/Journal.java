package io.livcloud.engine.journal;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The migration journal: an SQLite database in the state directory ({@code journal.db}). The engine writes every phase
 * here <em>before</em> acting on it, in a transaction committed with {@code synchronous = FULL}, so that whatever
 * moment the orchestrator dies at, the next command knows the phase that was about to act and can finish or roll back.
 * Other processes use it too: {@code livcloud abort} sets a flag the running orchestrator polls, {@code status} and
 * {@code history} read it. WAL mode lets readers work while the orchestrator writes.
 *
 * <p>Thread-safe: one connection, used under this object's lock.
 */
public final class Journal implements AutoCloseable {

    private static final int SCHEMA_VERSION = 1;

    private final Connection connection;
    private final Clock clock;

    private Journal(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    /**
     * Opens (or creates) the journal.
     *
     * @throws JournalException if the database cannot be opened or is of a newer schema
     */
    public static Journal open(Path file, Clock clock) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the journal " + file, e);
        }
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                // FULL: a committed transition is on disk before the engine acts on it, even if the machine dies.
                statement.execute("PRAGMA synchronous = FULL");
                statement.execute("PRAGMA foreign_keys = ON");
                // Another process (abort, status) may hold the write lock for a moment.
                statement.execute("PRAGMA busy_timeout = 10000");
            }
            Journal journal = new Journal(connection, clock);
            journal.migrate();
            return journal;
        } catch (SQLException e) {
            throw new JournalException("cannot open the migration journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
                version = result.next() ? result.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new JournalException("the migration journal has schema " + version + ", newer than this LivCloud's "
                        + SCHEMA_VERSION + ": it was written by a newer version", null);
            }
            if (version == SCHEMA_VERSION) {
                return;
            }
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS migrations (
                      id TEXT PRIMARY KEY,
                      vm TEXT NOT NULL,
                      from_site TEXT NOT NULL,
                      to_site TEXT NOT NULL,
                      phase TEXT NOT NULL,
                      started_at TEXT NOT NULL,
                      updated_at TEXT NOT NULL,
                      ended_at TEXT,
                      detail TEXT NOT NULL DEFAULT '',
                      owner_pid INTEGER,
                      abort_requested INTEGER NOT NULL DEFAULT 0
                    )""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS context (
                      migration_id TEXT NOT NULL REFERENCES migrations(id),
                      key TEXT NOT NULL,
                      value TEXT NOT NULL,
                      PRIMARY KEY (migration_id, key)
                    )""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS transitions (
                      migration_id TEXT NOT NULL REFERENCES migrations(id),
                      seq INTEGER NOT NULL,
                      at TEXT NOT NULL,
                      phase TEXT NOT NULL,
                      note TEXT NOT NULL,
                      PRIMARY KEY (migration_id, seq)
                    )""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS samples (
                      migration_id TEXT NOT NULL REFERENCES migrations(id),
                      at TEXT NOT NULL,
                      iteration INTEGER NOT NULL,
                      transferred INTEGER NOT NULL,
                      remaining INTEGER NOT NULL,
                      dirty_rate INTEGER NOT NULL,
                      throughput INTEGER NOT NULL
                    )""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS ladder (
                      migration_id TEXT NOT NULL REFERENCES migrations(id),
                      at TEXT NOT NULL,
                      step TEXT NOT NULL,
                      reason TEXT NOT NULL
                    )""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS checks (
                      migration_id TEXT NOT NULL REFERENCES migrations(id),
                      name TEXT NOT NULL,
                      passed INTEGER NOT NULL,
                      detail TEXT NOT NULL,
                      remedy TEXT NOT NULL
                    )""");
            statement.execute("CREATE INDEX IF NOT EXISTS samples_by_migration ON samples(migration_id)");
            statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    /** Creates a migration in phase {@link Phase#PLAN}, owned by this process. */
    public synchronized MigrationRecord create(String id, String vmName, String fromSite, String toSite,
            Map<String, String> context) {
        Instant now = clock.instant();
        inTransaction(() -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO migrations (id, vm, from_site,"
                    + " to_site, phase, started_at, updated_at, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, vmName);
                insert.setString(3, fromSite);
                insert.setString(4, toSite);
                insert.setString(5, Phase.PLAN.name());
                insert.setString(6, now.toString());
                insert.setString(7, now.toString());
                insert.setLong(8, ProcessHandle.current().pid());
                insert.executeUpdate();
            }
            putContext(id, context);
            appendTransition(id, Phase.PLAN, "created", now);
        });
        return find(id).orElseThrow();
    }

    /**
     * Records that the migration enters a phase; returns only once that is on disk. The engine calls this before it
     * does anything of the phase.
     */
    public synchronized void enter(String id, Phase phase, String note) {
        Instant now = clock.instant();
        inTransaction(() -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE migrations SET phase = ?,"
                    + " updated_at = ?, detail = ?, ended_at = ?, owner_pid = CASE WHEN ? THEN NULL ELSE owner_pid END"
                    + " WHERE id = ?")) {
                update.setString(1, phase.name());
                update.setString(2, now.toString());
                update.setString(3, note);
                update.setString(4, phase.terminal() ? now.toString() : null);
                update.setBoolean(5, phase.terminal());
                update.setString(6, id);
                if (update.executeUpdate() != 1) {
                    throw new JournalException("no migration " + id + " in the journal", null);
                }
            }
            appendTransition(id, phase, note, now);
        });
    }

    /** Adds or replaces context facts (a hypervisor URI learned in PREPARE, the report's path). */
    public synchronized void putContext(String id, Map<String, String> facts) {
        inTransaction(() -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO context (migration_id, key, value)"
                    + " VALUES (?, ?, ?) ON CONFLICT (migration_id, key) DO UPDATE SET value = excluded.value")) {
                for (Map.Entry<String, String> fact : facts.entrySet()) {
                    upsert.setString(1, id);
                    upsert.setString(2, fact.getKey());
                    upsert.setString(3, fact.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /** Makes this process the migration's orchestrator (a resume takes over from a dead one). */
    public synchronized void claim(String id) {
        update("UPDATE migrations SET owner_pid = ?, updated_at = ? WHERE id = ?", ProcessHandle.current().pid(),
                clock.instant().toString(), id);
    }

    /** Asks the orchestrator to stop the migration; it polls this between its steps. */
    public synchronized boolean requestAbort(String id) {
        return update("UPDATE migrations SET abort_requested = 1 WHERE id = ? AND ended_at IS NULL", id) == 1;
    }

    /** Whether an abort was requested; read at each poll of a running transfer. */
    public synchronized boolean abortRequested(String id) {
        boolean[] requested = {false};
        select("SELECT abort_requested FROM migrations WHERE id = ?", result -> requested[0] = result.getBoolean(1),
                id);
        return requested[0];
    }

    public synchronized void recordSample(String id, MigrationReport.Sample sample) {
        update("INSERT INTO samples (migration_id, at, iteration, transferred, remaining, dirty_rate, throughput)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, sample.at().toString(), sample.iteration(),
                sample.transferredBytes(), sample.remainingBytes(), sample.dirtyRateBytesPerSecond(),
                sample.throughputBytesPerSecond());
    }

    public synchronized void recordLadderStep(String id, MigrationReport.LadderStep step) {
        update("INSERT INTO ladder (migration_id, at, step, reason) VALUES (?, ?, ?, ?)", id, step.at().toString(),
                step.step(), step.reason());
    }

    public synchronized void recordCheck(String id, MigrationReport.Check check) {
        update("INSERT INTO checks (migration_id, name, passed, detail, remedy) VALUES (?, ?, ?, ?, ?)", id,
                check.name(), check.passed(), check.detail(), check.remedy());
    }

    /** The migration, if the journal has it. */
    public synchronized Optional<MigrationRecord> find(String id) {
        List<MigrationRecord> found = query("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Migrations that have not reached a final phase, oldest first. */
    public synchronized List<MigrationRecord> unfinished() {
        return query("WHERE ended_at IS NULL ORDER BY started_at");
    }

    /** The most recent migrations, newest first. */
    public synchronized List<MigrationRecord> history(int limit) {
        return query("ORDER BY started_at DESC LIMIT " + Math.max(1, limit));
    }

    /** Finished migrations whose source still keeps the VM's stopped definition (for the rollback window). */
    public synchronized List<MigrationRecord> keptSources() {
        return query("WHERE phase = 'DONE' AND id IN (SELECT migration_id FROM context WHERE key = 'source-kept-until')"
                + " AND id NOT IN (SELECT migration_id FROM context WHERE key = 'source-removed') ORDER BY started_at");
    }

    /** The phases a migration went through, in order. */
    public synchronized List<MigrationReport.PhaseMark> phases(String id) {
        List<MigrationReport.PhaseMark> marks = new ArrayList<>();
        select("SELECT phase, at FROM transitions WHERE migration_id = ? ORDER BY seq", result ->
                marks.add(new MigrationReport.PhaseMark(Phase.valueOf(result.getString(1)),
                        Instant.parse(result.getString(2)))), id);
        return marks;
    }

    public synchronized List<MigrationReport.Sample> samples(String id) {
        List<MigrationReport.Sample> samples = new ArrayList<>();
        select("SELECT at, iteration, transferred, remaining, dirty_rate, throughput FROM samples WHERE migration_id = ?"
                + " ORDER BY rowid", result -> samples.add(new MigrationReport.Sample(Instant.parse(result.getString(1)),
                result.getLong(2), result.getLong(3), result.getLong(4), result.getLong(5), result.getLong(6))), id);
        return samples;
    }

    public synchronized List<MigrationReport.LadderStep> ladder(String id) {
        List<MigrationReport.LadderStep> steps = new ArrayList<>();
        select("SELECT at, step, reason FROM ladder WHERE migration_id = ? ORDER BY rowid", result ->
                steps.add(new MigrationReport.LadderStep(Instant.parse(result.getString(1)), result.getString(2),
                        result.getString(3))), id);
        return steps;
    }

    public synchronized List<MigrationReport.Check> checks(String id) {
        List<MigrationReport.Check> checks = new ArrayList<>();
        select("SELECT name, passed, detail, remedy FROM checks WHERE migration_id = ? ORDER BY rowid", result ->
                checks.add(new MigrationReport.Check(result.getString(1), result.getBoolean(2), result.getString(3),
                        result.getString(4))), id);
        return checks;
    }

    private List<MigrationRecord> query(String where, Object... parameters) {
        List<MigrationRecord> records = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        select("SELECT id, vm, from_site, to_site, phase, started_at, updated_at, ended_at, detail, owner_pid,"
                + " abort_requested FROM migrations " + where, result -> rows.add(new String[] {
                    result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                    result.getString(5), result.getString(6), result.getString(7), result.getString(8),
                    result.getString(9), result.getString(10), result.getString(11)}), parameters);
        for (String[] row : rows) {
            Map<String, String> context = new LinkedHashMap<>();
            select("SELECT key, value FROM context WHERE migration_id = ? ORDER BY key", result ->
                    context.put(result.getString(1), result.getString(2)), row[0]);
            records.add(new MigrationRecord(row[0], row[1], row[2], row[3], Phase.valueOf(row[4]),
                    Instant.parse(row[5]), Instant.parse(row[6]), Optional.ofNullable(row[7]).map(Instant::parse),
                    row[8], Optional.ofNullable(row[9]).map(Long::parseLong), "1".equals(row[10]), context));
        }
        return records;
    }

    private void appendTransition(String id, Phase phase, String note, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO transitions (migration_id, seq, at,"
                + " phase, note) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM transitions WHERE migration_id = ?),"
                + " ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, id);
            insert.setString(3, at.toString());
            insert.setString(4, phase.name());
            insert.setString(5, note);
            insert.executeUpdate();
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private interface RowReader {
        void read(ResultSet result) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try {
            if (!connection.getAutoCommit()) {
                work.run(); // already inside the caller's transaction: one commit for both
                return;
            }
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new JournalException("the migration journal refused a write: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException("the migration journal refused a write: " + e.getMessage(), e);
        }
    }

    private void select(String sql, RowReader reader, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    reader.read(result);
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read the migration journal: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new JournalException("cannot close the migration journal: " + e.getMessage(), e);
        }
    }
}
