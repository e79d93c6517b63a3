package dev.backprop.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether a request without a key may pass. In {@code auto} mode that depends on the listening address
 * (decided once: {@link LoopbackDefault} binds 127.0.0.1 when nothing says otherwise) and on whether any
 * key exists (which the first created key turns on, for good).
 */
@Component
@EnableConfigurationProperties(AccessProperties.class)
public class AccessGate {

    private final SecurityMode mode;
    private final boolean loopback;
    private final String address;
    private final AtomicBoolean keysExist = new AtomicBoolean();

    AccessGate(AccessProperties properties, Environment environment) {
        this.mode = properties.mode();
        String configured = environment.getProperty("server.address");
        if (configured == null || configured.isBlank()) {
            this.loopback = LoopbackDefault.bindsLoopback(properties);
            this.address = loopback ? InetAddress.getLoopbackAddress().getHostAddress() : "every interface";
        } else {
            this.loopback = isLoopback(configured);
            this.address = configured;
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean keysRequired() {
        return switch (mode) {
            case OPEN -> false;
            case KEYS -> true;
            case AUTO -> !loopback || keysExist.get();
        };
    }

    SecurityMode mode() {
        return mode;
    }

    boolean loopback() {
        return loopback;
    }

    /** The address the service listens on, for the startup log. */
    String address() {
        return address;
    }

    void keysExist(boolean exist) {
        keysExist.set(exist);
    }
}
