package dev.backprop.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between Java values and the columns every repository shares, the same on H2 and PostgreSQL. */
public final class SqlColumns {

    private SqlColumns() {
    }

    /** An instant as a {@code TIMESTAMP WITH TIME ZONE} parameter, in UTC; null stays null. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A nullable {@code TIMESTAMP WITH TIME ZONE} column. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A nullable {@code DOUBLE PRECISION} column. */
    public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** Text cut to a {@code VARCHAR(length)} column, so that a long error message never fails a write. */
    public static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
