package dev.backprop.dataset;

import dev.backprop.data.Column;
import dev.backprop.data.Table;
import java.lang.ref.SoftReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The tables of the data sets stored or read last on this replica, kept for the jobs that train on them next: a
 * data set never changes, and reading T4's 785 columns back from the database took 17 s of a job's 30 s of
 * preparation under load (once for the submit's checks, once more when it ran). Kept while they fit in a quarter of
 * the heap, the least recently used first to go, and softly: a heap that runs short takes them back before it fails.
 * The caller still asks the database whether the data set exists (one row), so a delete on another replica counts.
 */
final class RecentTables {

    private final long byteBudget;
    private final LinkedHashMap<UUID, Kept> kept = new LinkedHashMap<>(4, 0.75f, true);
    private long bytes;

    RecentTables(long byteBudget) {
        this.byteBudget = byteBudget;
    }

    private record Kept(SoftReference<Table> table, long bytes) {
    }

    synchronized Optional<Table> get(UUID id) {
        Kept entry = kept.get(id);
        Table table = entry == null ? null : entry.table().get();
        if (entry != null && table == null) {
            remove(id);
        }
        return Optional.ofNullable(table);
    }

    synchronized void put(UUID id, Table table) {
        long size = bytesOf(table);
        remove(id);
        if (size > byteBudget) {
            return;
        }
        kept.put(id, new Kept(new SoftReference<>(table), size));
        bytes += size;
        for (Iterator<Map.Entry<UUID, Kept>> eldest = kept.entrySet().iterator(); bytes > byteBudget && eldest.hasNext(); ) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    synchronized void remove(UUID id) {
        Kept entry = kept.remove(id);
        if (entry != null) {
            bytes -= entry.bytes();
        }
    }

    /** About what a table holds: 8 bytes a primitive cell, 32 a boxed one. */
    static long bytesOf(Table table) {
        long size = 0;
        for (int c = 0; c < table.columns().size(); c++) {
            Column column = table.column(c);
            size += (long) column.size() * (column instanceof Column.Cells ? 32 : Long.BYTES);
        }
        return size;
    }
}
