package dev.backprop.security;

import java.net.InetAddress;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Binds the server to 127.0.0.1 when {@code server.address} is not set and nothing configures keys
 * ({@code auto} mode, no admin key): a service started with no security must not be reachable from
 * another machine. With an admin key, or {@code mode=keys|open}, Spring Boot's default (every interface) stays.
 */
@Component
class LoopbackDefault implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private final AccessProperties properties;
    private final Environment environment;

    LoopbackDefault(AccessProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    static boolean bindsLoopback(AccessProperties properties) {
        return properties.mode() == SecurityMode.AUTO && (properties.adminKey() == null || properties.adminKey().isBlank());
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        String configured = environment.getProperty("server.address");
        if ((configured == null || configured.isBlank()) && bindsLoopback(properties)) {
            factory.setAddress(InetAddress.getLoopbackAddress());
        }
    }

    /** After Spring Boot's own customizer, which would otherwise leave the address unset. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
