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

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile boolean winograd = !"0".equals(System.getenv("BV2J_WINOGRAD"));
    private static volatile boolean ownGemm = !"0".equals(System.getenv("BV2J_OWN_GEMM"));
    private static final ThreadLocal<NativeContext> CURRENT = ThreadLocal.withInitial(NativeContext::create);
    /** Threads whose kernels run single-threaded whatever {@link #threads()} says (worker threads). */
    private static final ThreadLocal<boolean[]> PINNED = ThreadLocal.withInitial(() -> new boolean[1]);

    private final MemorySegment handle;
    private int appliedThreads;
    private boolean appliedWinograd;
    private boolean appliedOwnGemm;

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
     * Whether stride-1 convolutions and Winograd's products may run on bv2j's own AVX-512 GEMM
     * tiles (the default on CPUs with AVX-512F; BV2J_OWN_GEMM=0 turns it off) or go through
     * im2col and OpenBLAS. Both agree within the float32 tolerances; the switch exists for
     * comparisons and to test the fallback that CPUs without AVX-512 take.
     */
    public static void setOwnGemm(boolean enabled) {
        ownGemm = enabled;
    }

    public static boolean ownGemm() {
        return ownGemm;
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
                throw new Bv2jException("cannot open OpenBLAS at " + lib.blasPath() + ": "
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
