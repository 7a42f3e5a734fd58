package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.conformance.ConformanceRunner;
import io.bv2j.conformance.Row;
import io.bv2j.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** bv2j conformance: every golden case found in a folder, one row per compared tensor. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Compare bv2j with the reference's golden outputs; exit 1 if any tensor is out of tolerance.")
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "a folder laid out like shared/golden/dev")
    Path dir;
    @Option(names = "--cases", split = ",", description = "groups to run (default: all known): ${COMPLETION-CANDIDATES}")
    List<String> cases;
    @Mixin
    DeviceOption device;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        device.device().require(Device.Work.INFERENCE);
        if (!Files.isDirectory(dir)) throw new Bv2jException(dir + ": not a folder");
        ConformanceRunner runner = new ConformanceRunner(ConformanceRunner.knownCases());
        Set<String> groups = null;
        if (cases != null) {
            groups = new LinkedHashSet<>(cases);
            for (String g : groups) {
                if (!runner.groups().contains(g)) throw new Bv2jException("unknown case group '" + g + "' (known: " + runner.groups() + ")");
            }
        }
        ConformanceRunner.Report report = runner.run(dir, groups);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-44s %-44s %11s %11s %9s  %s%n", "case", "tensor", "rel_l2", "max_abs", "tol", "result");
        for (Row r : report.rows()) {
            String tol = r.integer() ? "exact" : String.format("%.0e", r.tolerance());
            out.printf("%-44s %-44s %11.3e %11.3e %9s  %s%n", r.caseId(), r.tensor(), r.relL2(), r.maxAbs(), tol,
                    r.pass() ? "ok" : "FAIL" + (r.message() == null ? "" : ": " + r.message()));
        }
        Set<String> caseIds = new LinkedHashSet<>();
        for (Row r : report.rows()) caseIds.add(r.caseId());
        out.println();
        out.println("worst tensor per case:");
        for (String id : caseIds) {
            Row w = report.worst(id);
            out.printf("  %-44s %-44s %s%n", id, w.tensor(), w.integer() ? "max_abs " + w.maxAbs()
                    : String.format("rel_l2 %.3e (tol %.0e)", w.relL2(), w.tolerance()));
        }
        for (String a : report.absent()) out.println("absent: " + a + " (not in " + dir + ", not run)");
        for (String u : report.unhandled()) out.println("not reproduced by this build: " + u);
        long failed = report.rows().stream().filter(r -> !r.pass()).count();
        out.printf("%d tensors compared, %d out of tolerance, %d files absent%n", report.rows().size(), failed,
                report.absent().size());
        return failed == 0 ? 0 : 1;
    }
}
