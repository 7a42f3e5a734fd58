package io.bv2j.training;

import io.bv2j.nativelib.BackwardKernels;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.AdamW (amsgrad off): decoupled weight decay p ← p − lr·wd·p, then Adam with bias
 * correction. Parameters whose gradient is absent (never reached by backward) are skipped, as
 * torch skips grad None. State lives in the optimizer's arena; the update is one native kernel (double arithmetic).
 */
public final class AdamW {
    /** Per-parameter state, as torch's state_dict holds it. */
    public static final class State {
        final Tensor expAvg, expAvgSq;
        long step;

        State(Tensor expAvg, Tensor expAvgSq) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
        }

        State(Tensor expAvg, Tensor expAvgSq, long step) {
            this(expAvg, expAvgSq);
            this.step = step;
        }

        public Tensor expAvg() {
            return expAvg;
        }

        public Tensor expAvgSq() {
            return expAvgSq;
        }

        public long step() {
            return step;
        }
    }

    private final Map<String, Tensor> params;
    private final Map<String, State> state = new LinkedHashMap<>();
    private final Arena arena;
    private final double beta1, beta2, eps, weightDecay;
    private double lr;

    /** params by state-dict name (leaves that require gradients). */
    public AdamW(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 Arena arena) {
        this.params = new LinkedHashMap<>(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.arena = arena;
    }

    /** torch.optim.AdamW's default weight decay, which train_ms.py keeps. */
    public static final double WEIGHT_DECAY = 0.01;

    /** The reference trainer's optimizer for a module: its parameters in torch's order, train.* hyperparameters. */
    public static AdamW forModule(io.bv2j.nn.Module module, io.bv2j.io.ModelConfig.Train t, Arena arena) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        module.forEachParameter("", params::put);
        return new AdamW(params, t.learningRate(), t.betas().get(0), t.betas().get(1), t.eps(), WEIGHT_DECAY, arena);
    }

    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    public Map<String, State> state() {
        return state;
    }

    /** The parameters by state-dict name, in the order the optimizer state indexes them. */
    public Map<String, Tensor> params() {
        return params;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** Restores one parameter's moments (resuming from a checkpoint); the values are copied. */
    public void restore(String name, float[] expAvg, float[] expAvgSq, long step) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        state.put(name, new State(Tensor.of(arena, expAvg, p.shape()), Tensor.of(arena, expAvgSq, p.shape()), step));
    }

    /** Clears every gradient (zero_grad). */
    public void zeroGrad() {
        for (Tensor p : params.values()) p.zeroGrad();
    }

    public void step() {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue(), g = p.grad();
            if (g == null) continue;
            State s = state.computeIfAbsent(e.getKey(),
                    k -> new State(Tensor.allocate(arena, p.shape()), Tensor.allocate(arena, p.shape())));
            s.step++;
            BackwardKernels.adamwStep(p.segment(), g.segment(), s.expAvg.segment(), s.expAvgSq.segment(), p.numel(), lr,
                    beta1, beta2, eps, weightDecay, s.step);
        }
    }
}
