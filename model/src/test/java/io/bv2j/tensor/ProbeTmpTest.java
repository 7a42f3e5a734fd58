package io.bv2j.tensor;
import org.junit.jupiter.api.Test;
class ProbeTmpTest {
    interface R { Object run(); }
    static void p(String name, R r) {
        try (Scope s = Scope.open()) {
            Object o = r.run();
            System.out.println("PROBE " + name + ": OK " + (o instanceof Tensor t ? t : o));
        } catch (Throwable e) {
            boolean nat = false;
            for (StackTraceElement f : e.getStackTrace()) nat |= f.getClassName().startsWith("io.bv2j.nativelib");
            System.out.println("PROBE " + name + ": " + e.getClass().getSimpleName() + (nat ? " [FROM NATIVE]" : "") + " " + e.getMessage());
        }
    }
    @Test void probe() {
        Tensor x = Tensor.zeros(2, 8, 10);
        p("narrow dim 3", () -> Ops.narrow(x, 3, 0, 1));
        p("transpose dim 5", () -> Ops.transpose(x, 0, 5));
        p("flip dim -4", () -> Ops.flip(x, -4));
        p("cat no parts", () -> Ops.cat(0));
        p("cat dim 3", () -> Ops.cat(3, x, x));
        p("convT stride 0", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 4, 3), null, 0, 0));
        p("convT padding -1", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 4, 3), null, 2, -1));
        p("convT padding too big", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 4, 3), null, 2, 100));
        p("conv2d stride 0", () -> Ops.conv2d(Tensor.zeros(1, 2, 9, 5), Tensor.zeros(4, 2, 3, 3), null, 0, 1, 1, 1));
        p("conv2d padding -1", () -> Ops.conv2d(Tensor.zeros(1, 2, 9, 5), Tensor.zeros(4, 2, 3, 3), null, 1, 1, -1, 0));
        p("conv1d K=0 weight", () -> Ops.conv1d(x, Tensor.zeros(4, 8, 0), null, 1, 0, 1, 1));
        p("conv2d KH=0 weight", () -> Ops.conv2d(Tensor.zeros(1, 2, 9, 5), Tensor.zeros(4, 2, 0, 3), null, 1, 1, 0, 0));
        p("convT K=0 weight", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 4, 0), null, 2, 0));
        p("spline tail 0", () -> Ops.rqSpline(Tensor.zeros(2, 3, 10), Tensor.zeros(2, 87, 10), 10, 0f, 8f, false));
        p("spline scale 0", () -> Ops.rqSpline(Tensor.zeros(2, 3, 10), Tensor.zeros(2, 87, 10), 10, 5f, 0f, false));
        p("matmul batch dims permuted", () -> Ops.matmul(Tensor.zeros(2, 3, 4, 5), Tensor.zeros(3, 2, 5, 6)));
        p("matmul b rank 4 batch 1 vs a rank 3", () -> Ops.matmul(Tensor.zeros(2, 4, 5), Tensor.zeros(1, 1, 5, 6)));
        p("gru w_hh rank 1", () -> Ops.gruLast(Tensor.zeros(2, 5, 3), Tensor.zeros(12, 3), Tensor.zeros(12), Tensor.zeros(12), Tensor.zeros(12)));
        p("gru w_ih rank 1", () -> Ops.gruLast(Tensor.zeros(2, 5, 3), Tensor.zeros(36), Tensor.zeros(12, 4), Tensor.zeros(12), Tensor.zeros(12)));
        p("gru hidden 0", () -> Ops.gruLast(Tensor.zeros(2, 5, 3), Tensor.zeros(0, 3), Tensor.zeros(0, 0), Tensor.zeros(0), Tensor.zeros(0)));
        p("layer norm C=0", () -> Ops.layerNormChannels(Tensor.zeros(2, 0, 3), Tensor.zeros(0), Tensor.zeros(0), 1e-5f));
        p("attention window -1", () -> Ops.relAttention(x, x, x, Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(2,1,10), null, 2, -1));
        p("attention T=0", () -> Ops.relAttention(Tensor.zeros(2,8,0), Tensor.zeros(2,8,0), Tensor.zeros(2,8,0), Tensor.zeros(1,9,4), Tensor.zeros(1,9,4), Tensor.zeros(2,1,0), null, 2, 4));
        p("wn gate hidden 0", () -> Ops.wnGate(Tensor.zeros(2, 0, 3), null, 0));
        p("conv1d Cin 0", () -> Ops.conv1d(Tensor.zeros(2, 0, 10), Tensor.zeros(4, 0, 3), null, 1, 1, 1, 1));
        p("conv1d Cout 0", () -> Ops.conv1d(x, Tensor.zeros(0, 8, 3), null, 1, 1, 1, 1));
        p("convT Cout 0", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 0, 3), null, 2, 0));
        p("conv2d Cin 0", () -> Ops.conv2d(Tensor.zeros(1, 0, 9, 5), Tensor.zeros(4, 0, 3, 3), null, 1, 1, 1, 1));
        p("matmul K=0", () -> { Tensor y = Ops.matmul(Tensor.zeros(3, 0), Tensor.zeros(0, 4)); return java.util.Arrays.toString(y.toArray()); });
        p("spline channels 0", () -> Ops.rqSpline(Tensor.zeros(2, 0, 10), Tensor.zeros(2, 0, 10), 10, 5f, 8f, false));
    }
}
