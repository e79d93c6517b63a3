package dev.backprop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The walls of DESIGN.md §1, enforced on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.backprop");

    @Test
    void theEngineDependsOnTheJdkAndBlasOnly() {
        noClasses().that().resideInAPackage("dev.backprop.nn..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta..", "tools.jackson..", "com.fasterxml..",
                        "dev.backprop.data..", "dev.backprop.job..", "dev.backprop.search..", "dev.backprop.model..",
                        "dev.backprop.dataset..", "dev.backprop.platform..")
                .check(MAIN);
    }

    @Test
    void theEngineDependsOnNoOtherPackageOfOurs() {
        noClasses().that().resideInAPackage("dev.backprop.nn..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("outside nn in dev.backprop",
                        c -> c.getPackageName().startsWith("dev.backprop") && !c.getPackageName().startsWith("dev.backprop.nn")))
                .check(MAIN);
    }
}
