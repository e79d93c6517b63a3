package dev.backprop.model.web;

import dev.backprop.model.Predictions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Predictions as CSV: a label column and a probability column per class ({@code probability_<class>}), or a value column. */
final class PredictionsCsv {

    private PredictionsCsv() {
    }

    static String of(Predictions predictions) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
            if (predictions.labels() == null) {
                csv.printRecord("value");
                for (Predictions.Row row : predictions.rows()) {
                    csv.printRecord(row.value());
                }
                return out.toString();
            }
            List<Object> header = new ArrayList<>(List.of("label"));
            predictions.labels().forEach(label -> header.add("probability_" + label));
            csv.printRecord(header);
            for (Predictions.Row row : predictions.rows()) {
                List<Object> cells = new ArrayList<>(List.of(row.label()));
                for (double p : row.probabilities()) {
                    cells.add(p);
                }
                csv.printRecord(cells);
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
