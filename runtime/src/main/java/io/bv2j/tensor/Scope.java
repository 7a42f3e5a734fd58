package io.bv2j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The lifetime of intermediate tensors: every tensor made while a scope is open on this thread
 * lives in that scope's arena and is freed, all at once, when the scope closes. A synthesis call
 * opens one scope, so activations never outlive the call and native memory cannot grow over
 * calls. Scopes nest; results meant to outlive an inner scope are copied into an outer one with
 * {@link Tensor#copyTo(Arena)}.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    /** Bytes held by open scopes of every thread: returns to its old value when they close. */
    private static final java.util.concurrent.atomic.AtomicLong LIVE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    private final Arena arena = Arena.ofConfined();
    /** NativeHeap blocks this scope owns (handed back when it closes) and the bytes asked for each. */
    private final List<Block> blocks = new ArrayList<>();
    private long bytes;

    private record Block(MemorySegment raw, long bytes) {
    }

    private Scope() {
    }

    public static Scope open() {
        Scope s = new Scope();
        STACK.get().push(s);
        return s;
    }

    /** The innermost open scope's arena on this thread. */
    public static Arena arena() {
        Scope top = STACK.get().peek();
        if (top == null) {
            throw new IllegalStateException("no Scope is open on this thread: wrap tensor work in try (var s = Scope.open())");
        }
        return top.arena;
    }

    public Arena ownArena() {
        return arena;
    }

    /** Native bytes currently held by open scopes (all threads), for leak checks. */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Zeroed memory in the innermost scope, counting the bytes. */
    static MemorySegment allocate(long byteSize) {
        return top().take(byteSize).fill((byte) 0);
    }

    /**
     * Uninitialised memory in the innermost scope (freed when it closes), for results a kernel
     * overwrites completely: zero-filling large activations costs as much as computing them.
     */
    static MemorySegment allocateUninitialized(long byteSize) {
        return top().take(byteSize);
    }

    /**
     * Runs {@code work} in a nested scope and returns its result in this thread's current scope:
     * everything else the work allocated is freed on return. The result's memory changes owner
     * rather than being copied when it is a block of the nested scope (the usual case: the last
     * kernel's output); otherwise it is copied. Inference uses it to keep only one block's
     * intermediates alive at a time (a decoder stage's would be gigabytes for a long utterance).
     * Not for work whose intermediates a recorded backward still needs.
     */
    public static Tensor nested(java.util.function.Supplier<Tensor> work) {
        return nestedConsuming(work);
    }

    /**
     * {@link #nested}, and the blocks of {@code consumed} that this thread's current scope owns
     * are freed with the work's intermediates: for chains whose steps' inputs are dead once the
     * step has run (decoder stages, residual steps), so they do not pile up until the chain ends.
     * Tensors the current scope does not own (inputs from outer scopes) are left alone. The
     * caller must not touch a consumed tensor, or any view of it, afterwards.
     */
    private static Tensor nestedConsuming(java.util.function.Supplier<Tensor> work, Tensor... consumed) {
        Scope outer = top();
        try (Scope inner = open()) {
            for (Tensor c : consumed) {
                Block b = outer.detach(c.segment());
                if (b != null) inner.adopt(b);
            }
            Tensor result = work.get();
            MemorySegment seg = result.segment();
            Block owned = inner.detach(seg);
            if (owned != null) {
                outer.adopt(owned);
                return Tensor.wrap(owned.raw().reinterpret(seg.byteSize(), outer.arena, null), result.shape());
            }
            MemorySegment kept = outer.take(Math.max(1, result.numel()) * Float.BYTES);
            MemorySegment.copy(seg, 0, kept, 0, result.numel() * Float.BYTES);
            return Tensor.wrap(kept, result.shape());
        }
    }

    /**
     * {@link #nested} when no gradients are being recorded, also freeing the {@code consumed}
     * inputs this scope owns (see {@link #nestedConsuming}); otherwise runs {@code work} in place
     * and frees nothing, since a recorded backward still needs intermediates and inputs. Inference
     * wraps each layer in it so only one layer's activations are alive at a time.
     */
    public static Tensor keepResultOnly(java.util.function.Supplier<Tensor> work, Tensor... consumed) {
        return Grad.isRecording() ? work.get() : nestedConsuming(work, consumed);
    }

    private static Scope top() {
        Scope top = STACK.get().peek();
        if (top == null) {
            throw new IllegalStateException("no Scope is open on this thread: wrap tensor work in try (var s = Scope.open())");
        }
        return top;
    }

    /** A block of at least byteSize bytes owned by this scope, as a segment bound to its arena. */
    private MemorySegment take(long byteSize) {
        MemorySegment raw = NativeHeap.take(byteSize);
        blocks.add(new Block(raw, byteSize));
        bytes += byteSize;
        LIVE_BYTES.addAndGet(byteSize);
        return raw.reinterpret(byteSize, arena, null);
    }

    /** Removes and returns the block that starts at seg (searching from the newest), or null. */
    private Block detach(MemorySegment seg) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            Block b = blocks.get(i);
            if (b.raw().address() == seg.address() && seg.byteSize() <= b.raw().byteSize()) {
                blocks.remove(i);
                bytes -= b.bytes();
                LIVE_BYTES.addAndGet(-b.bytes());
                return b;
            }
        }
        return null;
    }

    private void adopt(Block b) {
        blocks.add(b);
        bytes += b.bytes();
        LIVE_BYTES.addAndGet(b.bytes());
    }

    @Override
    public void close() {
        Deque<Scope> stack = STACK.get();
        if (stack.peek() != this) throw new IllegalStateException("scopes must close innermost first");
        stack.pop();
        arena.close(); // every segment handed out is dead before its block is reused
        for (Block b : blocks) NativeHeap.give(b.raw());
        blocks.clear();
        LIVE_BYTES.addAndGet(-bytes);
        bytes = 0;
    }
}
