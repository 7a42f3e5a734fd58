package io.bv2j.cli;

import io.bv2j.Bv2jException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The `bv2j` command. Bad input ends with one line on stderr and exit code 2; `--debug`
 * (anywhere on the line) adds the stack trace.
 */
@Command(name = "bv2j", mixinStandardHelpOptions = true, version = "bv2j 0.1.0",
        description = "Bert-VITS2 v1.1 text-to-speech on the JVM: inference, conformance, benchmarks.",
        subcommands = {SynthCommand.class, InspectCommand.class, ConformanceCommand.class, TrainCommand.class,
                PreprocessCommand.class, BenchCommand.class, ExportCommand.class,
                DemoCommand.class, SayCommand.class, G2pCommand.class, ServeCommand.class})
public final class Main implements Runnable {
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((thrown, line, parsed) -> {
            Throwable ex = unwrapInitializer(thrown);
            report(ex, debug, err);
            return isBadInput(ex) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
        });
        try {
            return cl.execute(rest);
        } catch (Throwable t) { // Errors (picocli's handler sees only Exceptions), failures building the model
            Throwable ex = unwrapInitializer(t);
            report(ex, debug, err);
            return isBadInput(ex) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
        }
    }

    /**
     * A setting the native library refuses while it loads (e.g. BV2J_ISA=foo) surfaces inside the
     * static initializer of whichever class first touched it; the user needs the reason.
     */
    private static Throwable unwrapInitializer(Throwable ex) {
        return ex instanceof ExceptionInInitializerError e && e.getCause() != null ? e.getCause() : ex;
    }

    private static boolean isBadInput(Throwable ex) {
        return ex instanceof Bv2jException || ex instanceof IllegalArgumentException;
    }

    private static void report(Throwable ex, boolean debug, PrintWriter err) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (isBadInput(ex)) {
            err.println("bv2j: error: " + msg.replace('\n', ' '));
        } else if (ex instanceof OutOfMemoryError) {
            err.println("bv2j: out of memory (" + msg + "): give the JVM more heap (BV2J_JAVA_OPTS=-Xmx...) or shorten the input");
        } else {
            err.println("bv2j: internal error: " + ex.getClass().getSimpleName() + ": " + msg.replace('\n', ' '));
        }
        if (debug) ex.printStackTrace(err);
        err.flush();
    }
}
