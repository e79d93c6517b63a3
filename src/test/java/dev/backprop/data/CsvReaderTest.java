package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static final CsvReader.Limits LIMITS = new CsvReader.Limits(1000, 50, 100);

    static Table read(String csv) {
        return CsvReader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), LIMITS);
    }

    static Table read(byte[] csv) {
        return CsvReader.read(new ByteArrayInputStream(csv), LIMITS);
    }

    static String firstProblem(Runnable action) {
        try {
            action.run();
        } catch (DataException e) {
            return e.problems().get(0).field() + ": " + e.problems().get(0).message();
        }
        throw new AssertionError("expected a DataException");
    }

    @Test
    void typesCellsPerColumn() {
        Table table = read("a,b,c,d,e\n1,2.5,x,true,\n-3,1e3,y,FALSE,\n");
        assertThat(table.columns()).containsExactly("a", "b", "c", "d", "e");
        assertThat(table.rows().get(0)).containsExactly(1L, 2.5, "x", true, null);
        assertThat(table.rows().get(1)).containsExactly(-3L, 1000.0, "y", false, null);
    }

    @Test
    void quotedCommasNewlinesAndQuotes() {
        Table table = read("name,note\n\"Smith, J\",\"line one\nline two\"\n\"say \"\"hi\"\"\",x\n");
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(0)).containsExactly("Smith, J", "line one\nline two");
        assertThat(table.rows().get(1).get(0)).isEqualTo("say \"hi\"");
    }

    @Test
    void byteOrderMarkAndCrlf() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "x,y\r\n1,2\r\n3,4\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] csv = Arrays.copyOf(bom, bom.length + body.length);
        System.arraycopy(body, 0, csv, bom.length, body.length);
        Table table = read(csv);
        assertThat(table.columns()).containsExactly("x", "y");
        assertThat(table.rows()).containsExactly(List.of(1L, 2L), List.of(3L, 4L));
    }

    @Test
    void aMixedColumnKeepsTheTextOfEveryCell() {
        Table table = read("code\n1\nA7\n2\n");
        assertThat(table.rows()).extracting(r -> r.get(0)).containsExactly("1", "A7", "2");
    }

    @Test
    void structuralProblemsNameRowsAndColumns() {
        assertThat(firstProblem(() -> read(""))).contains("is empty");
        assertThat(firstProblem(() -> read("a,b\n"))).contains("no data rows");
        assertThat(firstProblem(() -> read("a,a\n1,2\n"))).isEqualTo("header column 2: duplicate column name 'a'");
        assertThat(firstProblem(() -> read("a,\n1,2\n"))).contains("header column 2: is blank");
        assertThat(firstProblem(() -> read("a,b\n1,2\n3\n"))).startsWith("row 2: has 1 fields, expected 2");
        assertThat(firstProblem(() -> read("a,b\n1," + "x".repeat(101) + "\n"))).startsWith("row 1, column 'b': field of 101");
        assertThat(firstProblem(() -> read("a,b\n1,NaN\n2,3\n"))).startsWith("row 1, column 'b': non-finite number 'NaN'");
        assertThat(firstProblem(() -> read("a,b\n1,Infinity\n"))).contains("non-finite");
        assertThat(firstProblem(() -> read("a,b\n1,1e400\n"))).contains("number out of range");
        assertThat(firstProblem(() -> read(new byte[]{'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'}))).contains("not valid UTF-8");
        assertThat(firstProblem(() -> read("a\n\"unterminated\n"))).startsWith("row 1");
    }

    @Test
    void limitsAreEnforcedWhileReading() {
        CsvReader.Limits tight = new CsvReader.Limits(2, 2, 10);
        assertThatThrownBy(() -> CsvReader.read(new ByteArrayInputStream("a\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8)), tight))
                .hasMessageContaining("more than 2 rows");
        assertThatThrownBy(() -> CsvReader.read(new ByteArrayInputStream("a,b,c\n1,2,3\n".getBytes(StandardCharsets.UTF_8)), tight))
                .hasMessageContaining("3 columns; the limit is 2");
    }

    @Test
    void schemaInferenceAndStatistics() {
        Table table = read("n,c,b,e\n1,red,true,\n3,blue,false,\n,red,true,\n");
        List<ColumnSummary> summary = ColumnSummary.of(table);
        ColumnSummary n = summary.get(0);
        assertThat(n.type()).isEqualTo("numeric");
        assertThat(n.missing()).isEqualTo(1);
        assertThat(n.min()).isEqualTo(1.0);
        assertThat(n.max()).isEqualTo(3.0);
        assertThat(n.mean()).isEqualTo(2.0);
        assertThat(n.std()).isEqualTo(1.0);
        ColumnSummary c = summary.get(1);
        assertThat(c.type()).isEqualTo("categorical");
        assertThat(c.distinct()).isEqualTo(2);
        assertThat(c.topCategories().get(0)).isEqualTo(new ColumnSummary.CategoryCount("red", 2));
        assertThat(summary.get(2).type()).isEqualTo("boolean");
        assertThat(summary.get(3).type()).isEqualTo("empty");
        assertThat(summary.get(3).missing()).isEqualTo(3);
    }
}
