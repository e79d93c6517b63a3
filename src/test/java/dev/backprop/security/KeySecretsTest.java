package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key text, hashing and the constant-time check. */
class KeySecretsTest {

    @Test
    void keysAreRandomAndCarryTheirPublicId() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            KeySecrets.NewKey key = KeySecrets.generate();
            assertThat(seen.add(key.text())).isTrue();
            assertThat(KeySecrets.idOf(key.text())).isEqualTo(key.id());
        }
        assertThat(KeySecrets.idOf("bpk_zzzzzzzzzzzzzzzz.secret")).isNull();
        assertThat(KeySecrets.idOf("some configured admin key")).isNull();
    }

    @Test
    void onlyTheKeyWithTheStoredHashMatches() {
        KeySecrets.NewKey key = KeySecrets.generate();
        byte[] stored = KeySecrets.hash(key.text());
        assertThat(KeySecrets.matches(key.text(), stored)).isTrue();
        assertThat(KeySecrets.matches(key.text() + "x", stored)).isFalse();
        assertThat(KeySecrets.matches(key.text().substring(1), stored)).isFalse();
        assertThat(KeySecrets.hashHex(key.text())).hasSize(64).doesNotContain(key.text().substring(21));
    }

    /** Timing tests are noise on a shared machine; what makes the check constant-time is the call it makes. */
    @Test
    void theCheckComparesHashesWithMessageDigestIsEqual() {
        JavaClasses classes = new ClassFileImporter().importClasses(KeySecrets.class, ApiKeys.class);
        assertThat(classes.get(KeySecrets.class).getMethodCallsFromSelf()).anySatisfy(call -> {
            assertThat(call.getTargetOwner().isEquivalentTo(MessageDigest.class)).isTrue();
            assertThat(call.getName()).isEqualTo("isEqual");
        });
        assertThat(classes.get(ApiKeys.class).getMethodCallsFromSelf()).noneSatisfy(call -> {
            assertThat(call.getTargetOwner().isEquivalentTo(java.util.Arrays.class)).isTrue();
            assertThat(call.getName()).isEqualTo("equals");
        });
    }
}
