package io.bv2j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A dense row-major float32 tensor in native memory, in the reference layout ([batch, channels,
 * time] for sequences). Immutable shape; the data is written only by the op that made it (or by
 * loaders), so tensors can be shared read-only between threads when their arena is shared.
 */
public final class Tensor {
    private static final long ALIGN = 64;
    private final MemorySegment data;
    private final int[] shape;
    /** The recorded op that made this tensor (null for leaves and for anything made without recording). */
    private Node node;
    /** Leaves that want a gradient (parameters, inputs under test); results inherit it through their node. */
    private boolean requiresGrad;
    /** Accumulated gradient of a leaf, allocated in gradArena on first use. */
    private Tensor grad;
    private Arena gradArena;

    private Tensor(MemorySegment data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Zero-filled tensor in the current {@link Scope}. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(Scope.allocate(Math.max(1, numel(s)) * Float.BYTES), s);
    }

    /** A tensor in the current Scope whose contents are undefined until written (for kernel outputs). */
    public static Tensor empty(int... shape) {
        int[] s = shape.clone();
        return new Tensor(Scope.allocateUninitialized(Math.max(1, numel(s)) * Float.BYTES), s);
    }

    /** A tensor over memory its caller owns (package use: {@link Scope#nested}). */
    static Tensor wrap(MemorySegment data, int[] shape) {
        return new Tensor(data, shape.clone());
    }

    /**
     * This tensor's memory without its arena's thread confinement, so worker threads can read it
     * ({@link Workers}). The caller guarantees the memory outlives every use of the view: the
     * workers it hands the view to finish before the owning scope can close.
     */
    public Tensor unconfinedView() {
        long bytes = data.byteSize();
        return new Tensor(MemorySegment.ofAddress(data.address()).reinterpret(bytes), shape.clone());
    }

    /** Zero-filled tensor in the given arena. */
    public static Tensor allocate(Arena arena, int... shape) {
        int[] s = shape.clone();
        long n = numel(s);
        return new Tensor(arena.allocate(Math.max(1, n) * Float.BYTES, ALIGN), s);
    }

    public static Tensor of(float[] values, int... shape) {
        Tensor t = zeros(shape);
        if (t.numel() != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + t.numel()
                    + " values, got " + values.length);
        }
        MemorySegment.copy(values, 0, t.data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    public static Tensor of(Arena arena, float[] values, int... shape) {
        if (numel(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + values.length);
        }
        Tensor t = allocate(arena, shape);
        MemorySegment.copy(values, 0, t.data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    public static Tensor scalar(float v) {
        return of(new float[]{v}, 1);
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public MemorySegment segment() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension i; negative i counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long numel() {
        return numel(shape);
    }

    public float get(long flatIndex) {
        return data.getAtIndex(ValueLayout.JAVA_FLOAT, flatIndex);
    }

    /** Writes one element; only for code that owns a freshly made tensor (loaders, builders). */
    public void set(long flatIndex, float value) {
        data.setAtIndex(ValueLayout.JAVA_FLOAT, flatIndex, value);
    }

    public float[] toArray() {
        return data.asSlice(0, numel() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    // ---- autograd ---------------------------------------------------------------------------

    /** Marks this tensor as a leaf whose gradient accumulates in {@link #grad()} (allocated in arena). */
    public Tensor requireGrad(Arena arena) {
        this.requiresGrad = true;
        this.gradArena = arena;
        return this;
    }

    /**
     * Holds a leaf marked by requireGrad out of gradient recording (false) or lets it back in
     * (true), keeping its arena and any gradient it has: torch's requires_grad_ on a parameter.
     */
    public void setRequiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("only a leaf's gradient can be switched, not an op's result");
        if (on && gradArena == null) throw new IllegalStateException("this leaf was never marked by requireGrad");
        requiresGrad = on;
    }

    /** True for leaves marked by requireGrad and for results of recorded ops on them. */
    public boolean requiresGrad() {
        return requiresGrad || node != null;
    }

    /** The accumulated gradient of a leaf (null before the first backward reaches it). */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (the next backward starts from zero). */
    public void zeroGrad() {
        if (grad != null) grad.data.fill((byte) 0);
    }

    /** The same data cut off from the graph (torch.detach). */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    Node node() {
        return node;
    }

    void setNode(Node n) {
        this.node = n;
    }

    boolean isLeaf() {
        return node == null;
    }

    boolean wantsGrad() {
        return requiresGrad;
    }

    /** Adds g into this leaf's gradient buffer. */
    void accumulateGrad(Tensor g) {
        if (grad == null) grad = allocate(gradArena, shape);
        Ops.addInto(grad, g);
    }

    /** The same data under another shape with equal element count; one dim may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1");
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) s[infer] = known == 0 ? 0 : (int) (numel() / known);
        if (numel(s) != numel()) {
            throw new IllegalArgumentException("reshape " + Arrays.toString(shape) + " -> " + Arrays.toString(newShape));
        }
        Tensor view = new Tensor(data, s);
        int[] old = shape;
        Grad.record(view, dy -> new Tensor[]{dy.reshape(old)}, this);
        return view;
    }

    /** A dense copy in the given arena (to move a result out of a scope). */
    public Tensor copyTo(Arena arena) {
        Tensor t = allocate(arena, shape);
        MemorySegment.copy(data, 0, t.data, 0, numel() * Float.BYTES);
        return t;
    }

    /** A dense copy in the current scope. */
    public Tensor copy() {
        Tensor t = zeros(shape);
        MemorySegment.copy(data, 0, t.data, 0, numel() * Float.BYTES);
        return t;
    }

    /** Element offset of the slab [i, ...] of dimension 0, as a view of the remaining dims. */
    public Tensor select0(int i) {
        if (i < 0 || i >= shape[0]) throw new IndexOutOfBoundsException("index " + i + " of dim 0 size " + shape[0]);
        int[] s = Arrays.copyOfRange(shape, 1, shape.length);
        long bytes = numel(s) * Float.BYTES;
        return new Tensor(data.asSlice(i * bytes, Math.max(bytes, 0)), s);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
