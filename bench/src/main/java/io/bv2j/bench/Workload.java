package io.bv2j.bench;

/** One benchmark subject, prepared once and then run rep after rep. */
interface Workload {
    /**
     * Runs one rep inside the caller's open Scope. Only the network call is timed: building the
     * inputs is not part of what is measured.
     */
    Rep run();

    /** Seconds of the timed call and the waveform samples it produced. */
    record Rep(double seconds, long samples) {
    }
}
