package dev.backprop.platform;

/**
 * The version of Backprop that is running, as the build stamped it: the jar manifest's
 * {@code Implementation-Version} (Spring Boot's parent POM has Maven write it, and the Boot launcher
 * keeps it for the classes inside the jar), or {@value #UNPACKAGED} when the classes run from a
 * directory, as under {@code spring-boot:run} and in tests.
 */
public final class BackpropVersion {

    /** The version reported when no jar manifest names one. */
    public static final String UNPACKAGED = "dev";

    private static final String CURRENT = find();

    private BackpropVersion() {
    }

    /** The running version, for example {@code 0.1.0-SNAPSHOT}, or {@value #UNPACKAGED}. */
    public static String current() {
        return CURRENT;
    }

    private static String find() {
        String version = BackpropVersion.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? UNPACKAGED : version;
    }
}
