package io.bv2j.tensor;

import io.bv2j.Bv2jException;
import io.bv2j.nativelib.CudaLibrary;

import java.util.Locale;

/**
 * Where work runs: the CPU (bv2j's C kernels and OpenBLAS) or CUDA device N (libbv2j_cuda). The
 * one place that knows what each device can run today: callers name the work, {@link
 * #require} refuses in one line what the device cannot do yet.
 */
public record Device(Kind kind, int index) {

    public enum Kind { CPU, CUDA }

    /** What a caller wants to run on a device. */
    public enum Work {
        /** Text encoder, duration predictors, flow and decoder: synthesis, its benchmarks, the conformance. */
        INFERENCE("synthesis"),
        /** The monotonic alignment search alone (bench --part mas). */
        ALIGNMENT("the monotonic alignment search");

        private final String label;

        Work(String label) {
            this.label = label;
        }
    }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (kind == null) throw new IllegalArgumentException("kind");
        if (index < 0 || (kind == Kind.CPU && index != 0)) throw new IllegalArgumentException("index " + index);
    }

    /** "cpu", "cuda" (device 0) or "cuda:N", any case. */
    public static Device parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return new Device(Kind.CUDA, 0);
        if (s.startsWith("cuda:")) {
            String n = s.substring(5);
            if (n.matches("[0-9]{1,4}")) return new Device(Kind.CUDA, Integer.parseInt(n));
        }
        throw new Bv2jException("unknown device '" + text + "' (use cpu, cuda or cuda:N)");
    }

    /**
     * Checks that {@code work} can run here, in one line otherwise: a CUDA device must exist, and
     * of the network only the aligner has its whole path on CUDA so far (the kernels of the WN
     * gate, the spline and the upsampling exist, the rest of inference does not yet).
     */
    public Device require(Work work) {
        if (kind == Kind.CPU) return this;
        String reason = CudaLibrary.unavailableReason();
        if (reason != null) throw new Bv2jException(this + ": " + reason);
        CudaLibrary.get().checkDevice(index);
        if (work != Work.ALIGNMENT) {
            throw new Bv2jException(this + " (" + CudaLibrary.get().deviceName(index) + "): " + work.label
                    + " does not run on CUDA yet; of its kernels only MAS, the WN gate, the spline and the"
                    + " transposed convolution exist for CUDA (use --device cpu)");
        }
        return this;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
