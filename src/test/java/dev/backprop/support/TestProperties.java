package dev.backprop.support;

import dev.backprop.platform.BackpropProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link BackpropProperties} bound the way the application binds them, from a few overrides. */
public final class TestProperties {

    private TestProperties() {
    }

    public static BackpropProperties defaults() {
        return with(Map.of());
    }

    public static BackpropProperties with(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides)).bindOrCreate("backprop", BackpropProperties.class);
    }
}
