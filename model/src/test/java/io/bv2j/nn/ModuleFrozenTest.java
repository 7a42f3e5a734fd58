package io.bv2j.nn;

import io.bv2j.synth.RandomWeights;
import io.bv2j.tensor.Grad;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A frozen module passes input gradients through and keeps its parameters' gradients out. */
class ModuleFrozenTest {
    @Test
    void frozenModuleGivesInputGradientsOnlyAndThawsOnClose() {
        try (Scope scope = Scope.open(); Grad ignored = Grad.enable()) {
            Conv1d conv = Conv1d.of(3, 4, 3).padding(1).weightNorm().build();
            conv.loadForTraining(RandomWeights.of(conv, 7), "", scope.ownArena());
            Tensor x = Tensor.of(scope.ownArena(), new float[]{1, -2, 3, 0.5f, 2, -1, 0, 1, 4, -3, 2, 1}, 1, 3, 4)
                    .requireGrad(scope.ownArena());

            Grad.backward(Ops.sumAll(conv.forward(x)));
            float[] inputGradThawed = x.grad().toArray();
            for (Tensor p : leaves(conv)) assertNotNull(p.grad(), "a trainable parameter gets a gradient");
            for (Tensor p : leaves(conv)) p.zeroGrad();
            x.zeroGrad();

            try (Module.Frozen frozen = conv.frozen()) {
                Grad.backward(Ops.sumAll(conv.forward(x)));
            }
            assertArrayEquals(inputGradThawed, x.grad().toArray(), 0f, "the input gradient does not depend on freezing");
            for (Tensor p : leaves(conv)) assertArrayEquals(new float[(int) p.numel()], p.grad().toArray(), 0f);

            Grad.backward(Ops.sumAll(conv.forward(x)));
            for (Tensor p : leaves(conv)) {
                boolean any = false;
                for (float v : p.grad().toArray()) any |= v != 0;
                if (!any) throw new AssertionError("after close the parameters record gradients again");
            }
        }
    }

    @Test
    void onlyLeavesCanBeSwitched() {
        try (Scope scope = Scope.open(); Grad ignored = Grad.enable()) {
            Tensor leaf = Tensor.of(scope.ownArena(), new float[]{1, 2}, 2).requireGrad(scope.ownArena());
            Tensor result = Ops.scale(leaf, 2f);
            assertThrows(IllegalStateException.class, () -> result.setRequiresGrad(false));
            Tensor never = Tensor.of(scope.ownArena(), new float[]{1}, 1);
            assertThrows(IllegalStateException.class, () -> never.setRequiresGrad(true));
            assertNull(never.grad());
        }
    }

    private static List<Tensor> leaves(Module m) {
        List<Tensor> out = new ArrayList<>();
        m.forEachParameter("", (name, t) -> out.add(t));
        return out;
    }
}
