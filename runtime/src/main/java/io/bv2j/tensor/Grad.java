package io.bv2j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * Reverse-mode automatic differentiation. Recording is off by default, so inference pays one
 * field read per op; a trainer turns it on for a step with {@code try (var g = Grad.enable())}.
 * An op records a {@link Node} only when recording is on and one of its inputs requires a
 * gradient; {@link #backward(Tensor)} walks the graph from a scalar and accumulates into leaves.
 */
public final class Grad implements AutoCloseable {
    private static final ThreadLocal<boolean[]> RECORDING = ThreadLocal.withInitial(() -> new boolean[1]);
    private final boolean previous;

    private Grad(boolean on) {
        boolean[] flag = RECORDING.get();
        previous = flag[0];
        flag[0] = on;
    }

    /** Records ops on this thread until closed. */
    public static Grad enable() {
        return new Grad(true);
    }

    /** Stops recording until closed (torch.no_grad). */
    public static Grad disable() {
        return new Grad(false);
    }

    public static boolean isRecording() {
        return RECORDING.get()[0];
    }

    @Override
    public void close() {
        RECORDING.get()[0] = previous;
    }

    /** Attaches a node to `output` when recording and any input requires a gradient. */
    static void record(Tensor output, Node.Backward backward, Tensor... inputs) {
        boolean any = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (any && isRecording()) output.setNode(new Node(inputs, backward));
    }

    /** Back-propagates d(root)/d(root) = 1 from a one-element tensor into every leaf that requires a gradient. */
    public static void backward(Tensor root) {
        if (root.numel() != 1) throw new IllegalArgumentException("backward needs a one-element loss, got " + root);
        backward(root, Ops.ones(root.shape()));
    }

    /** Back-propagates a given output gradient (same shape as root). */
    public static void backward(Tensor root, Tensor gradRoot) {
        try (Grad ignored = disable()) {
            List<Tensor> order = topologicalOrder(root);
            Map<Tensor, Tensor> grads = new IdentityHashMap<>();
            grads.put(root, gradRoot);
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) continue;
                if (t.isLeaf()) {
                    if (t.wantsGrad()) t.accumulateGrad(g);
                    continue;
                }
                Node n = t.node();
                Tensor[] gin = n.backward.apply(g);
                for (int k = 0; k < n.inputs.length; k++) {
                    Tensor in = n.inputs[k];
                    if (in == null || gin[k] == null || !in.requiresGrad()) continue;
                    grads.merge(in, gin[k], Ops::add);
                }
            }
        }
    }

    /** Inputs before outputs, iteratively (graphs of a training step are deep). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (int) top[1];
            Node n = t.node();
            if (n != null && next < n.inputs.length) {
                top[1] = next + 1;
                Tensor in = n.inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) stack.push(new Object[]{in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
