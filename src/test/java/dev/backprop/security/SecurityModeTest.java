package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.BackpropApplication;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The start-up rules of backprop.security.mode: loopback without keys, refusal beyond it, open, generated admin keys. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityModeTest {

    private static ConfigurableApplicationContext start(String database, String... properties) {
        String[] all = new String[properties.length + 2];
        all[0] = "spring.datasource.url=jdbc:h2:" + (database.startsWith("file:") ? database : "mem:" + database + ";DB_CLOSE_DELAY=-1");
        all[1] = "backprop.jobs.runner-enabled=false";
        System.arraycopy(properties, 0, all, 2, properties.length);
        // Arguments, not default properties: those would lose to the test application.properties' database.
        return new SpringApplicationBuilder(BackpropApplication.class).web(WebApplicationType.NONE)
                .run(java.util.Arrays.stream(all).map(p -> "--" + p).toArray(String[]::new));
    }

    @Test
    void autoModeRefusesToStartBeyondLoopbackWithoutAKey() {
        assertThatThrownBy(() -> start("refuse-" + UUID.randomUUID(), "server.address=0.0.0.0"))
                .rootCause().hasMessageContaining("Refusing to start").hasMessageContaining("BACKPROP_SECURITY_ADMIN_KEY");
    }

    @Test
    void openModeStartsBeyondLoopbackWithALoudWarningAndNeedsNoKey(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("open-" + UUID.randomUUID(), "server.address=0.0.0.0",
                "backprop.security.mode=open")) {
            assertThat(context.getBean(AccessGate.class).keysRequired()).isFalse();
            assertThat(output.getAll()).contains("SECURITY IS OFF");
        }
    }

    @Test
    void keysModeGeneratesAnAdminKeyOnceAndLogsItOnce(CapturedOutput output, @TempDir Path directory) {
        // A file database: the second start must find what the first one stored.
        String database = "file:" + directory.resolve("keys").toAbsolutePath();
        String key;
        try (ConfigurableApplicationContext context = start(database, "backprop.security.mode=keys")) {
            assertThat(context.getBean(AccessGate.class).keysRequired()).isTrue();
            Matcher logged = Pattern.compile("bpk_[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}").matcher(output.getAll());
            assertThat(logged.find()).isTrue();
            key = logged.group();
            assertThat(logged.find()).as("logged once").isFalse();
            assertThat(context.getBean(ApiKeys.class).authenticate(key)).hasValueSatisfying(c -> assertThat(c.role()).isEqualTo(Role.ADMIN));
        }
        int before = output.getAll().length();
        try (ConfigurableApplicationContext context = start(database, "backprop.security.mode=keys")) {
            assertThat(output.getAll().substring(before)).doesNotContain("Generated the admin key").doesNotContain(key);
            assertThat(context.getBean(ApiKeys.class).authenticate(key)).isPresent();
        }
    }

    @Test
    void theFirstKeyMadeOnAKeylessLoopbackServiceTurnsKeysOn() {
        try (ConfigurableApplicationContext context = start("first-" + UUID.randomUUID())) {
            AccessGate gate = context.getBean(AccessGate.class);
            assertThat(gate.keysRequired()).isFalse();
            context.getBean(ApiKeys.class).create(Caller.DEFAULT_TENANT, "first", Role.MEMBER);
            assertThat(gate.keysRequired()).isTrue();
        }
    }
}
