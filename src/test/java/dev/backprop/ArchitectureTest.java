package dev.backprop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
                        "dev.backprop.dataset..", "dev.backprop.platform..", "dev.backprop.training..")
                .check(MAIN);
    }

    @Test
    void requestAndResponseRecordsStayInWebPackages() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideInAPackage("..web..")
                .and().haveSimpleNameEndingWith("Request").or().haveSimpleNameEndingWith("Response")
                .should().onlyBeAccessed().byClassesThat().resideInAPackage("..web..")
                .check(MAIN);
    }

    @Test
    void controllersNeverSeeRepositoriesOrEngineTypes() {
        noClasses().that().resideInAPackage("..web..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .orShould().dependOnClassesThat().resideInAPackage("dev.backprop.nn..")
                .check(MAIN);
    }

    @Test
    void onlyTheJobRunnerAndParallelBlocksTouchThreadsAndExecutors() {
        // ParallelBlocks splits products and element passes across the cores; it and its nested classes
        // own those worker threads. Gemm and the rest of the engine only hand it blocks. JobEvents owns the
        // threads that write events to followers: a write to a client that does not read blocks, and it must
        // block neither a training thread nor a request thread. SubmitWarmup starts one thread once, at readiness, which
        // ends with its synthetic job: readiness must not wait for it, and it is no worker.
        noClasses().that().doNotHaveFullyQualifiedName("dev.backprop.job.JobRunner")
                .and().doNotHaveFullyQualifiedName("dev.backprop.job.web.SubmitWarmup")
                .and().haveNameNotMatching("dev\\.backprop\\.job\\.JobEvents(\\$.*)?")
                .and().haveNameNotMatching("dev\\.backprop\\.nn\\.ParallelBlocks(\\$.*)?")
                .should().dependOnClassesThat().belongToAnyOf(Thread.class, java.util.concurrent.Executor.class,
                        java.util.concurrent.ExecutorService.class, java.util.concurrent.ScheduledExecutorService.class,
                        java.util.concurrent.ThreadPoolExecutor.class, java.util.concurrent.Executors.class,
                        java.util.concurrent.CompletableFuture.class)
                .check(MAIN);
    }

    /**
     * Every package is a slice, a feature's {@code web} package included: a web package is the edge and
     * may use the features below it, but nothing below may use it, and no two packages may need each other.
     */
    @Test
    void noPackagesFormACycle() {
        slices().matching("dev.backprop.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noFeatureDependsOnAWebPackage() {
        noClasses().that().resideOutsideOfPackage("dev.backprop..web..")
                .should().dependOnClassesThat().resideInAPackage("dev.backprop..web..")
                .check(MAIN);
    }

    @Test
    void theJobCoreKnowsJobTypesOnlyThroughItsExecutionInterface() {
        noClasses().that().resideInAPackage("dev.backprop.job")
                .should().dependOnClassesThat().resideInAnyPackage("dev.backprop.training..", "dev.backprop.search..",
                        "dev.backprop.model..", "dev.backprop.nn..", "dev.backprop.dataset..", "dev.backprop.data..")
                .check(MAIN);
    }

    @Test
    void tablesArePureJavaAndKnowOnlyTheEnginesTask() {
        noClasses().that().resideInAPackage("dev.backprop.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..", "tools.jackson..",
                        "dev.backprop.dataset..", "dev.backprop.job..", "dev.backprop.training..",
                        "dev.backprop.search..", "dev.backprop.model..", "dev.backprop.platform..")
                .check(MAIN);
    }

    @Test
    void modelsAndThePlatformKnowNothingOfJobs() {
        noClasses().that().resideInAnyPackage("dev.backprop.model..", "dev.backprop.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.backprop.job..", "dev.backprop.training..",
                        "dev.backprop.search..", "dev.backprop.dataset..")
                .check(MAIN);
    }

    @Test
    void theEngineDependsOnNoOtherPackageOfOurs() {
        dependsOnNoOtherPackageOfOurs("nn");
    }

    /** The dashboard's pages talk to the public REST API only; its Java side serves them and reaches for nothing else. */
    @Test
    void theDashboardDependsOnNoOtherPackageOfOurs() {
        dependsOnNoOtherPackageOfOurs("ui");
    }

    private static void dependsOnNoOtherPackageOfOurs(String name) {
        String own = "dev.backprop." + name;
        noClasses().that().resideInAPackage(own + "..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("outside " + name + " in dev.backprop",
                        c -> c.getPackageName().startsWith("dev.backprop") && !c.getPackageName().startsWith(own)))
                .check(MAIN);
    }
}
