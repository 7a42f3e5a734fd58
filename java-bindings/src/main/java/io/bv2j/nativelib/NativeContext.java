package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native context of the calling thread (scratch memory and thread count). Contexts are not
 * shared between threads, so kernels need no locks; a context is freed when its thread dies.
 */
public final class NativeContext {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final MethodHandle CREATE = Downcalls.handle("bv2j_ctx_create", ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle DESTROY = Downcalls.voidHandle("bv2j_ctx_destroy", ADDRESS);
    private static final MethodHandle OPEN_ERROR = Downcalls.handle("bv2j_last_open_error", ADDRESS);
    private static final MethodHandle SET_THREADS = Downcalls.handle("bv2j_set_threads", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SET_WINOGRAD = Downcalls.handle("bv2j_set_winograd", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SET_OWN_GEMM = Downcalls.handle("bv2j_set_own_gemm", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SCRATCH_BYTES = Downcalls.handle("bv2j_scratch_bytes", JAVA_LONG, ADDRESS);
    private static final MethodHandle SET_ISA = Downcalls.handle("bv2j_set_isa", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CPU_ISA = Downcalls.handle("bv2j_cpu_isa", JAVA_INT);

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile boolean winograd = !"0".equals(System.getenv("BV2J_WINOGRAD"));
    private static volatile boolean ownGemm = !"0".equals(System.getenv("BV2J_OWN_GEMM"));
    /** Resolved on first use ({@link #isa()}), so a bad BV2J_ISA fails as a plain Bv2jException. */
    private static volatile Isa isa;
    private static final ThreadLocal<NativeContext> CURRENT = ThreadLocal.withInitial(NativeContext::create);
    /** Threads whose kernels run single-threaded whatever {@link #threads()} says (worker threads). */
    private static final ThreadLocal<boolean[]> PINNED = ThreadLocal.withInitial(() -> new boolean[1]);

    private final MemorySegment handle;
    private int appliedThreads;
    private boolean appliedWinograd;
    private boolean appliedOwnGemm;
    private Isa appliedIsa;

    private NativeContext(MemorySegment handle) {
        this.handle = handle;
    }

    /** The calling thread's context, with the configured thread count applied. */
    public static MemorySegment current() {
        NativeContext ctx = CURRENT.get();
        int wanted = PINNED.get()[0] ? 1 : threads;
        if (ctx.appliedThreads != wanted) {
            try {
                int rc = (int) SET_THREADS.invokeExact(ctx.handle, wanted);
                Downcalls.check("bv2j_set_threads", rc);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
            ctx.appliedThreads = wanted;
        }
        boolean wantWinograd = winograd, wantOwnGemm = ownGemm;
        if (ctx.appliedWinograd != wantWinograd) {
            apply(SET_WINOGRAD, "bv2j_set_winograd", ctx.handle, wantWinograd);
            ctx.appliedWinograd = wantWinograd;
        }
        if (ctx.appliedOwnGemm != wantOwnGemm) {
            apply(SET_OWN_GEMM, "bv2j_set_own_gemm", ctx.handle, wantOwnGemm);
            ctx.appliedOwnGemm = wantOwnGemm;
        }
        Isa wantIsa = isa();
        if (ctx.appliedIsa != wantIsa) {
            try {
                int rc = (int) SET_ISA.invokeExact(ctx.handle, wantIsa.code);
                Downcalls.check("bv2j_set_isa", rc);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
            ctx.appliedIsa = wantIsa;
        }
        return ctx.handle;
    }

    /** One of the context's on/off switches (bv2j_set_winograd, bv2j_set_own_gemm). */
    private static void apply(MethodHandle setter, String name, MemorySegment handle, boolean enabled) {
        try {
            int rc = (int) setter.invokeExact(handle, enabled ? 1 : 0);
            Downcalls.check(name, rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Threads used by every kernel from now on, GEMMs included (they are split by bv2j, not OpenBLAS). */
    public static void setThreads(int n) {
        if (n < 1 || n > 4096) throw new Bv2jException("threads must be between 1 and 4096, got " + n);
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    /**
     * From now on the calling thread's kernels use one thread: for worker threads that run
     * independent work side by side, so the cores are shared between workers, not within a kernel.
     */
    public static void pinToOneThread() {
        PINNED.get()[0] = true;
    }

    /** Whether the calling thread was pinned to one thread ({@link #pinToOneThread}). */
    public static boolean pinnedToOneThread() {
        return PINNED.get()[0];
    }

    /**
     * Whether convolutions may use Winograd where it measured faster (the default; the environment
     * variable BV2J_WINOGRAD=0 turns it off) or always run as im2col + GEMM. Both agree within the
     * float32 tolerances; the switch exists for comparisons.
     */
    public static void setWinograd(boolean enabled) {
        winograd = enabled;
    }

    public static boolean winograd() {
        return winograd;
    }

    /**
     * Whether stride-1 convolutions, Winograd's and attention's products may run on bv2j's own
     * GEMM register tiles (the default; BV2J_OWN_GEMM=0 turns it off) or go through im2col and
     * OpenBLAS. Both agree within the float32 tolerances; the switch exists for comparisons.
     */
    public static void setOwnGemm(boolean enabled) {
        ownGemm = enabled;
    }

    public static boolean ownGemm() {
        return ownGemm;
    }

    /** The best instruction set this CPU runs for bv2j's own kernels. */
    public static Isa cpuIsa() {
        try {
            return Isa.ofCode((int) CPU_ISA.invokeExact());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * The best instruction set this process may use: the CPU's, capped by BV2J_ISA / -Dbv2j.isa
     * (so that BV2J_ISA=avx2 on an AVX-512 machine behaves as an AVX2 CPU would, tests included).
     */
    public static Isa maxIsa() {
        Isa requested = Isa.requested(), best = cpuIsa();
        return requested == Isa.AVX2 ? Isa.AVX2 : best;
    }

    /**
     * The instruction set of bv2j's own kernels from now on, for every thread (their register
     * tiles, Winograd's transforms). OpenBLAS's kernels are chosen once, when the library loads:
     * BV2J_ISA=avx2 or -Dbv2j.isa=avx2 set before then also puts OpenBLAS on its Haswell kernels.
     */
    public static void setIsa(Isa wanted) {
        if (wanted == Isa.AVX512 && maxIsa() != Isa.AVX512) {
            throw new Bv2jException(cpuIsa() == Isa.AVX512 ? "AVX-512 is switched off (BV2J_ISA / bv2j.isa = avx2)"
                    : "this CPU has no AVX-512F: bv2j's kernels run on avx2 here");
        }
        isa = wanted;
    }

    public static Isa isa() {
        Isa v = isa;
        if (v == null) isa = v = initialIsa(); // racing threads compute the same value
        return v;
    }

    /** -Dbv2j.isa or BV2J_ISA when given (refused if the CPU lacks it), else the CPU's best. */
    private static Isa initialIsa() {
        if (Isa.requested() == Isa.AVX512 && cpuIsa() != Isa.AVX512) {
            throw new Bv2jException("bv2j.isa / BV2J_ISA asks for avx512, but this CPU has no AVX-512F");
        }
        return maxIsa();
    }

    /** Scratch bytes held by the calling thread's context, for leak checks. */
    public static long scratchBytes() {
        try {
            return (long) SCRATCH_BYTES.invokeExact(current());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    private static NativeContext create() {
        NativeLibrary lib = NativeLibrary.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(lib.blasPath().toString());
            MemorySegment h = (MemorySegment) CREATE.invokeExact(path, threads);
            if (h.equals(MemorySegment.NULL)) {
                MemorySegment err = (MemorySegment) OPEN_ERROR.invokeExact();
                throw new Bv2jException("cannot create bv2j's native context (OpenBLAS at " + lib.blasPath() + "): "
                        + err.reinterpret(512).getString(0));
            }
            NativeContext ctx = new NativeContext(h);
            ctx.appliedThreads = threads;
            ctx.appliedWinograd = !"0".equals(System.getenv("BV2J_WINOGRAD"));
            ctx.appliedOwnGemm = !"0".equals(System.getenv("BV2J_OWN_GEMM"));
            CLEANER.register(Thread.currentThread(), () -> destroy(h));
            return ctx;
        } catch (Bv2jException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    private static void destroy(MemorySegment h) {
        try {
            DESTROY.invokeExact(h);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
