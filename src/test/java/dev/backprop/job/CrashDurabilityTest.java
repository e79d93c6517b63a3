package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.BackpropApplication;
import dev.backprop.support.EmbeddedPostgresDatabases;
import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a 2xx promised survives a {@code kill -9}: the application runs in a child JVM on an H2 file, answers five
 * submits, an upload and a cancel, is killed (SIGKILL) at once, and a second child on the same files still has
 * everything. H2's MVStore writes a second after a commit unless told otherwise; before it was told, three of five
 * jobs, the data set and the cancel were gone. PostgreSQL, which commits to its write-ahead log before it answers,
 * gets the same test.
 */
class CrashDurabilityTest {

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void endTheChildrenThisTestStarted() throws InterruptedException {
        for (Process child : started) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everythingAnswered2xxOnAnH2FileSurvivesAKillRightAfterTheAnswer() throws Exception {
        // a URL of its own, not the default one: the test classpath's application.properties points at memory
        everythingAnswered2xxSurvivesAKillRightAfterTheAnswer(
                List.of("--spring.datasource.url=jdbc:h2:file:" + directory.resolve("data/backprop") + ";DB_CLOSE_ON_EXIT=FALSE"));
    }

    /** The same on PostgreSQL: the server runs in this JVM and outlives both children, as a database server would. */
    @Test
    void everythingAnswered2xxOnPostgresqlSurvivesAKillRightAfterTheAnswer() throws Exception {
        everythingAnswered2xxSurvivesAKillRightAfterTheAnswer(List.of("--spring.datasource.url=" + EmbeddedPostgresDatabases.newDatabaseUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres"));
    }

    private void everythingAnswered2xxSurvivesAKillRightAfterTheAnswer(List<String> database) throws Exception {
        int port = freePort();
        Process first = start(database, port, "first");
        Http http = awaitReady(port, first);

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Http.Response submit = http.post("/jobs", TrainingRequests.example("xor"));
            assertThat(submit.status()).as(submit.body()).isEqualTo(202);
            jobs.add(submit.json().get("id").asString());
        }
        Http.Response upload = http.post("/datasets?name=xor", "text/csv", "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String dataset = upload.json().get("id").asString();
        Http.Response cancel = http.post("/jobs/" + jobs.get(0) + "/cancel", "application/json", "");
        long answered = System.nanoTime();
        first.destroyForcibly();
        long killedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(killedAfterMillis).as("SIGKILL within 50 ms of the last answer").isLessThan(50);

        Process second = start(database, port, "second");
        Http restarted = awaitReady(port, second);
        for (String id : jobs) {
            Http.Response job = restarted.get("/jobs/" + id);
            assertThat(job.status()).as("job %s after the crash: %s", id, job.body()).isEqualTo(200);
        }
        assertThat(restarted.get("/jobs/" + jobs.get(0)).json().get("status").asString()).isEqualTo("CANCELLED");
        jobs.subList(1, 5).forEach(id -> assertThat(restarted.get("/jobs/" + id).json().get("status").asString()).isEqualTo("QUEUED"));
        assertThat(restarted.get("/datasets/" + dataset).status()).isEqualTo(200);
    }

    /** The application's main class on the test classpath, 127.0.0.1 only, with no runner: jobs stay as answered. */
    private Process start(List<String> database, int port, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BackpropApplication.class.getName(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--backprop.jobs.runner-enabled=false"));
        command.addAll(database);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        Process child = builder.start();
        started.add(child);
        return child;
    }

    private Http awaitReady(int port, Process child) {
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreException(UncheckedIOException.class).until(() -> {
            assertThat(child.isAlive()).as("the child application exited; see its log in %s", directory).isTrue();
            return http.get("/actuator/health/readiness").status() == 200;
        });
        return http;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
