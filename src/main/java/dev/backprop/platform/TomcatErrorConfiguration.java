package dev.backprop.platform;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ProblemReportValve} in place of Tomcat's HTML error report on the host. Runs after
 * Spring Boot's own customizer (order 0), which adds a plain {@link ErrorReportValve} that is removed here.
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrorConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            // Named as the host's error valve too: else the host adds a plain one when it starts, which reports first.
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
            var pipeline = context.getParent().getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve.getClass() == ErrorReportValve.class) {
                    pipeline.removeValve(valve);
                }
            }
            pipeline.addValve(new ProblemReportValve());
        });
    }
}
