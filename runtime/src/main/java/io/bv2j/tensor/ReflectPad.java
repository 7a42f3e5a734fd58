package io.bv2j.tensor;

/**
 * torch.nn.functional.pad(x, (left, right), mode="reflect") over the last dim: the edge sample
 * is not repeated (x[1], x[0], x[1], ...). Built from narrow/flip/cat so it needs no kernel of
 * its own.
 */
public final class ReflectPad {
    private ReflectPad() {
    }

    /** x[..., T] -> [..., left + T + right]; torch requires left, right < T. */
    public static Tensor lastDim(Tensor x, int left, int right) {
        int t = x.dim(-1);
        if (left < 0 || right < 0 || left >= t || right >= t) {
            throw new IllegalArgumentException("reflect pad (" + left + ", " + right + ") needs both below the length "
                    + t + " of " + x);
        }
        if (left == 0 && right == 0) return x;
        Tensor head = left == 0 ? null : Ops.flip(Ops.narrow(x, -1, 1, left), -1);      // x[left..1]
        Tensor tail = right == 0 ? null : Ops.flip(Ops.narrow(x, -1, t - 1 - right, right), -1); // x[T-2..T-1-right]
        if (head == null) return Ops.cat(-1, x, tail);
        if (tail == null) return Ops.cat(-1, head, x);
        return Ops.cat(-1, head, x, tail);
    }
}
