package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbv2j_cuda.so (native/cuda/, built wherever nvcc was at build time), loaded only when a GPU is
 * asked for. Its cudart is static, so all it needs from the machine is the NVIDIA driver; without
 * a driver or a GPU it still loads and reports zero devices. {@link #status()} says in one line
 * what is there, so callers can skip or refuse cleanly.
 */
public final class CudaLibrary {
    private static final String RESOURCE = "/io/bv2j/native/" + NativeLibrary.PLATFORM + "/libbv2j_cuda.so";

    private static volatile CudaLibrary instance;
    private static volatile String loadFailure;

    private final SymbolLookup symbols;
    private final int deviceCount;
    private final MethodHandle lastError;
    private final MethodHandle deviceName;

    private CudaLibrary(SymbolLookup symbols) {
        this.symbols = symbols;
        this.lastError = Downcalls.handleIn(symbols, "bv2j_cuda_last_error", ADDRESS);
        this.deviceName = Downcalls.handleIn(symbols, "bv2j_cuda_device_name", JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
        try {
            this.deviceCount = (int) Downcalls.handleIn(symbols, "bv2j_cuda_device_count", JAVA_INT).invokeExact();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The library, loading it on first use; a one-line Bv2jException when it cannot be loaded. */
    public static CudaLibrary get() {
        CudaLibrary lib = instance;
        if (lib != null) return lib;
        synchronized (CudaLibrary.class) {
            if (instance == null && loadFailure == null) {
                try {
                    instance = load();
                } catch (Bv2jException e) {
                    loadFailure = e.getMessage();
                }
            }
            if (instance == null) throw new Bv2jException(loadFailure);
            return instance;
        }
    }

    /** null when at least one CUDA device can be used; otherwise why not, in one line. */
    public static String unavailableReason() {
        try {
            return get().deviceCount() > 0 ? null : "no CUDA device (no NVIDIA driver or no GPU on this machine)";
        } catch (Bv2jException e) {
            return e.getMessage();
        }
    }

    /** Whether a CUDA device can be used here. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    public int deviceCount() {
        return deviceCount;
    }

    /** e.g. "NVIDIA H100 80GB HBM3 (sm_90, 79 GiB)". */
    public String deviceName(int device) {
        checkDevice(device);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            check("bv2j_cuda_device_name", (int) deviceName.invokeExact(device, buf, 256L));
            return buf.getString(0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Refuses a device index this machine does not have, in one line. */
    public void checkDevice(int device) {
        if (device < 0 || device >= deviceCount) {
            throw new Bv2jException("cuda:" + device + " does not exist (this machine has " + deviceCount
                    + " CUDA device" + (deviceCount == 1 ? "" : "s") + ")");
        }
    }

    SymbolLookup symbols() {
        return symbols;
    }

    /** Status codes to exceptions; BV2J_ECUDA carries the library's own description. */
    void check(String call, int status) {
        if (status == 4) throw new Bv2jException(call + ": " + lastError());
        Downcalls.check(call, status);
    }

    String lastError() {
        try {
            return ((MemorySegment) lastError.invokeExact()).reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    private static CudaLibrary load() {
        try (InputStream probe = CudaLibrary.class.getResourceAsStream(RESOURCE)) {
            if (probe == null) {
                throw new Bv2jException("this bv2j was built without CUDA support (no nvcc at build time; "
                        + "install the CUDA toolkit and rebuild)");
            }
        } catch (IOException e) {
            throw new Bv2jException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        try {
            byte[] bytes = NativeLibrary.resource(RESOURCE);
            Path dir = NativeLibrary.cacheRoot().resolve("cuda-" + NativeLibrary.checksum(bytes));
            Files.createDirectories(dir);
            Path lib = NativeLibrary.install(dir, "libbv2j_cuda.so", bytes);
            return new CudaLibrary(SymbolLookup.libraryLookup(lib, Arena.global()));
        } catch (IOException e) {
            throw new Bv2jException("cannot install the CUDA library: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new Bv2jException("cannot load libbv2j_cuda.so: " + e.getMessage(), e);
        }
    }
}
