package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.SymbolLookup;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Finds libbv2j.so and OpenBLAS on the classpath (the native module's jar and Maven's
 * org.bytedeco:openblas natives jar), copies them once into a per-user cache folder and loads
 * them. OpenBLAS is opened by the C library itself (dlopen), so our kernels call cblas_sgemm
 * directly without a Java round trip.
 */
public final class NativeLibrary {
    static final String PLATFORM = "linux-x86_64";
    private static final String BV2J = "/io/bv2j/native/" + PLATFORM + "/libbv2j.so";
    private static final String BLAS_DIR = "/org/bytedeco/openblas/" + PLATFORM + "/";
    /* OpenBLAS needs the Fortran runtime next to it (its RPATH is $ORIGIN). */
    private static final String[] BLAS_FILES = {"libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"};

    private static volatile NativeLibrary instance;

    private final SymbolLookup symbols;
    private final Path blasPath;

    private NativeLibrary(SymbolLookup symbols, Path blasPath) {
        this.symbols = symbols;
        this.blasPath = blasPath;
    }

    /** The loaded library; the first call extracts and loads it. */
    public static NativeLibrary get() {
        NativeLibrary lib = instance;
        if (lib == null) {
            synchronized (NativeLibrary.class) {
                lib = instance;
                if (lib == null) instance = lib = load();
            }
        }
        return lib;
    }

    public SymbolLookup symbols() {
        return symbols;
    }

    public Path blasPath() {
        return blasPath;
    }

    private static NativeLibrary load() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
            throw new Bv2jException("bv2j's native kernels are built for linux-x86_64 only (this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")");
        }
        try {
            byte[] bv2j = resource(BV2J);
            Path dir = cacheRoot().resolve("native-" + checksum(bv2j));
            Files.createDirectories(dir);
            Path libPath = install(dir, "libbv2j.so", bv2j);
            for (String f : BLAS_FILES) {
                Path target = dir.resolve(f);
                if (!Files.exists(target)) install(dir, f, resource(BLAS_DIR + f));
            }
            limitOpenMpSpinning();
            chooseBlasCore();
            SymbolLookup lookup = SymbolLookup.libraryLookup(libPath, Arena.global());
            return new NativeLibrary(lookup, dir.resolve("libopenblas.so.0"));
        } catch (IOException e) {
            throw new Bv2jException("cannot install the native library: " + e.getMessage(), e);
        }
    }

    /**
     * libgomp's idle workers spin ~300k iterations before sleeping; with many short kernels and
     * other busy processes (or several Java threads each running a team) that spinning starves
     * the work itself. Unless the user chose a policy, keep the spin short. Must run before
     * libbv2j (and with it libgomp, which reads the environment once) is loaded.
     */
    private static void limitOpenMpSpinning() {
        if (System.getenv("OMP_WAIT_POLICY") != null || System.getenv("GOMP_SPINCOUNT") != null) return;
        setenv("GOMP_SPINCOUNT", "10000", false);
    }

    /** libc setenv, for settings native libraries read once when they load. */
    private static void setenv(String name, String value, boolean overwrite) {
        Linker linker = Linker.nativeLinker();
        MemorySegment setenv = linker.defaultLookup().find("setenv").orElse(null);
        if (setenv == null) return;
        MethodHandle h = linker.downcallHandle(setenv, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) h.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), overwrite ? 1 : 0);
            if (rc != 0) System.getLogger("bv2j").log(System.Logger.Level.DEBUG, "setenv " + name + " failed");
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Chooses OpenBLAS's kernel set for our own bundled copy. OpenBLAS's detection (and machine-wide
     * presets such as OPENBLAS_CORETYPE=Haswell, meant for the system's numpy) leave AVX-512 AMD
     * cores on the AVX2 kernels; on a CPU with the AVX-512 subsets the SkylakeX kernels use we ask
     * for them (decoder 2.07 s → 1.71 s on Zen 5). BV2J_ISA=avx2 (or -Dbv2j.isa=avx2) asks for the
     * Haswell kernels, as an AVX2 CPU runs them. BV2J_BLAS_CORETYPE overrides both.
     */
    private static void chooseBlasCore() {
        String forced = System.getenv("BV2J_BLAS_CORETYPE");
        if (forced != null && !forced.isBlank()) {
            setenv("OPENBLAS_CORETYPE", forced.strip(), true);
            return;
        }
        if (Isa.requested() == Isa.AVX2) {
            setenv("OPENBLAS_CORETYPE", "Haswell", true);
            return;
        }
        String flags;
        try {
            flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .orElse("") + " ";
        } catch (IOException e) {
            return;
        }
        for (String f : new String[]{" avx512f ", " avx512dq ", " avx512bw ", " avx512vl "}) {
            if (!flags.contains(f)) return;
        }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", true);
    }

    static Path cacheRoot() {
        String override = System.getProperty("bv2j.native.cache", System.getenv("BV2J_NATIVE_CACHE"));
        if (override != null && !override.isBlank()) return Path.of(override);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bv2j");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new Bv2jException("native resource " + name + " is not on the classpath (build with mvn install)");
            }
            return in.readAllBytes();
        }
    }

    static String checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(bytes.length);
    }

    /** Writes through a temp file and a rename so a concurrent JVM never loads half a file. */
    static Path install(Path dir, String name, byte[] bytes) throws IOException {
        Path target = dir.resolve(name);
        if (Files.exists(target) && Files.size(target) == bytes.length) return target;
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temp file is gone or unreachable; the installed library is what matters
            }
        }
        return target;
    }

}
