package dev.backprop.dataset;

import dev.backprop.data.ColumnSummary;
import dev.backprop.data.CsvReader;
import dev.backprop.data.DataException;
import dev.backprop.data.NonNumericCells;
import dev.backprop.data.Table;
import dev.backprop.job.JobRepository;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.PayloadTooLargeException;
import dev.backprop.platform.ProblemType;
import dev.backprop.security.Audit;
import dev.backprop.security.Caller;
import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Uploads, describes and deletes data sets; hands their rows to training requests. Each use case acts for
 * the current caller's tenant: another tenant's data set is a 404.
 */
@Service
public class DatasetService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DatasetService.class);

    /** Rows shown in a data set's preview. */
    public static final int PREVIEW_ROWS = 10;

    /** The size of the {@code dataset.name} column (V3__datasets.sql). */
    public static final int MAX_NAME_LENGTH = 200;

    private static final int SPOOL_BUFFER = 1 << 20;

    private final DatasetRepository datasets;
    private final JobRepository jobs;
    private final Clock clock;
    private final CsvReader.Limits limits;
    private final Quotas quotas;
    private final Audit audit;
    private final RecentTables recent = new RecentTables(Runtime.getRuntime().maxMemory() / 4);

    DatasetService(DatasetRepository datasets, JobRepository jobs, Clock clock, BackpropProperties properties, Quotas quotas,
                   Audit audit) {
        this.quotas = quotas;
        this.audit = audit;
        this.datasets = datasets;
        this.jobs = jobs;
        this.clock = clock;
        BackpropProperties.Limits configured = properties.limits();
        this.limits = new CsvReader.Limits(configured.maxRows(), configured.maxColumns(), configured.maxFieldLength());
    }

    /**
     * Reads a CSV and stores it.
     *
     * @throws ApiException a 400 naming the rows and columns at fault
     */
    public Dataset uploadCsv(String name, InputStream csv) {
        return uploadCsv(name, csv, CsvReader.Options.DEFAULT);
    }

    /**
     * Reads a CSV with the uploader's delimiter and column types and stores it. The body is spooled to a
     * temporary file first: the reader reads it a second time when a column turns to text after numbers.
     *
     * @throws ApiException a 400 naming the rows and columns at fault
     */
    public Dataset uploadCsv(String name, InputStream csv, CsvReader.Options options) {
        checkName(name);
        // refused before the body is read: a full tenant or service should not cost an upload
        quotas.require(Quota.DATASETS, 1);
        Path spool = null;
        try {
            long start = System.nanoTime();
            spool = Files.createTempFile("backprop-upload-", ".csv");
            long bytes = spool(csv, spool);
            long spooled = System.nanoTime();
            CsvReader.Result read = CsvReader.read(CsvReader.Source.of(spool), limits, options);
            long parsed = System.nanoTime();
            checkColumnTypes(options, read.table());
            Dataset dataset = store(name, read.table(), read.nonNumeric());
            log.info("Upload {} ({} bytes, {} × {}): body spooled in {} s, read in {} s, summarized and stored in {} s", dataset.id(),
                    bytes, read.table().rowCount(), read.table().columns().size(), seconds(start, spooled),
                    seconds(spooled, parsed), seconds(parsed, System.nanoTime()));
            return dataset;
        } catch (DataException e) {
            throw asProblem(e);
        } catch (PayloadTooLargeException e) {
            throw new ApiException(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            // the body failed while it was spooled (too slow, too large, a client gone) or the disk did: not a fault of
            // the data, so the edge answers it (408, 413) instead of a 400
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    // a temporary file the system cleans up; the upload's answer matters more
                }
            }
        }
    }

    /** Files.copy moves 8 KB a call (JDK 17): 50,000 reads and writes for T4's 412 MB, where 1 MB ones need 400. */
    private static long spool(InputStream body, Path file) throws IOException {
        byte[] buffer = new byte[SPOOL_BUFFER];
        long bytes = 0;
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            for (int read; (read = body.read(buffer)) >= 0; bytes += read) {
                out.write(buffer, 0, read);
            }
        }
        return bytes;
    }

    private static String seconds(long from, long to) {
        return String.format(java.util.Locale.ROOT, "%.2f", (to - from) / 1e9);
    }

    /** A column type for a column the file does not have is a typo, not something to ignore. */
    private static void checkColumnTypes(CsvReader.Options options, Table table) {
        for (String column : options.columnTypes().keySet()) {
            if (table.indexOf(column) < 0) {
                throw ApiException.invalid("columnTypes", "unknown column '" + column + "'; columns are " + table.columns());
            }
        }
    }

    /**
     * Reads inline CSV text with the same reader and limits as an upload, without storing it.
     *
     * @throws ApiException a 400 naming the rows and columns at fault
     */
    public Table parseCsv(String csv) {
        try {
            return CsvReader.read(new java.io.ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)), limits);
        } catch (DataException e) {
            throw asProblem(e);
        }
    }

    /** Stores rows already read (JSON). */
    public Dataset upload(String name, Table table) {
        checkName(name);
        quotas.require(Quota.DATASETS, 1);
        if (table.rowCount() == 0) {
            throw ApiException.invalid("rows", "must hold at least one row");
        }
        if (table.rowCount() > limits.maxRows()) {
            throw ApiException.invalid("rows", "holds " + table.rowCount() + " rows; the limit is " + limits.maxRows());
        }
        if (table.columns().size() > limits.maxColumns()) {
            throw ApiException.invalid("columns", "holds " + table.columns().size() + " columns; the limit is " + limits.maxColumns());
        }
        return store(name, table, Map.of());
    }

    /** Checked before reading any data: the column would reject the name only at the insert, as a 500. */
    private static void checkName(String name) {
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("name", "is " + name.length() + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
        if (name != null && name.indexOf('\0') >= 0) {
            throw ApiException.invalid("name", Table.NUL);
        }
    }

    private Dataset store(String name, Table table, Map<String, NonNumericCells> nonNumeric) {
        long start = System.nanoTime();
        UUID id = UUID.randomUUID();
        long[] bytes = new long[1];
        long[] stored = new long[1];
        List<ColumnSummary> summaries;
        try {
            // the columns go to the database on this thread while the other cores summarize them
            summaries = ColumnSummary.of(table, () -> {
                bytes[0] = datasets.insertColumns(id, table);
                stored[0] = System.nanoTime();
            });
        } catch (RuntimeException e) {
            throw datasets.removingColumns(id, e);
        }
        List<ColumnSummary> columns = summaries.stream()
                .map(c -> nonNumeric.containsKey(c.name()) ? c.withNonNumeric(nonNumeric.get(c.name())) : c).toList();
        Dataset dataset = new Dataset(id, name == null || name.isBlank() ? "dataset" : name, clock.instant(),
                table.rowCount(), columns);
        long summarized = System.nanoTime();
        datasets.insertRow(dataset, table.head(PREVIEW_ROWS), Caller.current().tenant(), (size, insertRow) -> {
            Map<Quota, Long> adding = new java.util.EnumMap<>(Quota.class);
            adding.put(Quota.DATASET_BYTES, size);
            adding.put(Quota.DATASETS, 1L);
            quotas.admit(adding, () -> {
                insertRow.run();
                return dataset;
            });
        }, bytes[0]);
        log.info("Data set {}: {} columns stored in {} s and summarized alongside in {} s, its row stored in {} s", dataset.id(),
                columns.size(), seconds(start, stored[0]), seconds(start, summarized), seconds(summarized, System.nanoTime()));
        recent.put(dataset.id(), table);  // the first job on a data set usually follows its upload
        audit.record("created", "dataset", dataset.id());
        return dataset;
    }

    public Dataset get(UUID id) {
        return datasets.find(id, Caller.current().tenant()).orElseThrow(() -> ApiException.notFound("dataset", id));
    }

    /** The first rows, as stored: read alone, not decoded from the whole table (except for data sets stored before V15). */
    public List<List<Object>> preview(UUID id) {
        return datasets.findPreview(id).orElseGet(() -> table(id).head(PREVIEW_ROWS));
    }

    /** A data set's rows, for a request of its tenant. */
    public Table table(UUID id) {
        if (!datasets.exists(id, Caller.current().tenant())) {
            throw ApiException.notFound("dataset", id);
        }
        return findTable(id).orElseThrow(() -> ApiException.notFound("dataset", id));
    }

    /**
     * A data set's rows, or empty when there is no such data set (any more), whoever owns it: for the
     * runner, whose job's data set was the tenant's when it was submitted.
     */
    public Optional<Table> findTable(UUID id) {
        Optional<Table> kept = recent.get(id);
        if (kept.isPresent() && datasets.isStored(id)) {
            return kept;
        }
        Optional<Table> read = datasets.findTable(id);
        read.ifPresentOrElse(table -> recent.put(id, table), () -> recent.remove(id));
        return read;
    }

    public List<Dataset> list(int page, int size) {
        return datasets.findPage(Caller.current().tenant(), page, size);
    }

    public long count() {
        return datasets.count(Caller.current().tenant());
    }

    /**
     * Deletes a data set.
     *
     * @throws ApiException 409 while queued or running jobs use it
     */
    public void delete(UUID id) {
        get(id);
        long users = jobs.countActiveUsing(id);
        if (users > 0) {
            throw new ApiException(ProblemType.DATASET_IN_USE, "dataset " + id + " is used by " + users
                    + " queued or running jobs; cancel them or wait for them to end");
        }
        datasets.delete(id, Caller.current().tenant());
        recent.remove(id);
        audit.record("deleted", "dataset", id);
    }

    /** A data problem as a 400 listing its places. */
    public static ApiException asProblem(DataException e) {
        return ApiException.validation(e.problems().stream().map(p -> new ApiException.FieldError(p.field(), p.message())).toList());
    }
}
