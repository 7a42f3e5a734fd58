package io.bv2j.tests;

import io.bv2j.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the bv2j command line in-process and keeps its exit code and output. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
