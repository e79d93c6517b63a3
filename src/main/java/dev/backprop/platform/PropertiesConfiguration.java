package dev.backprop.platform;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link BackpropProperties}; web slice tests import it for the request size filter. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackpropProperties.class)
public class PropertiesConfiguration {
}
