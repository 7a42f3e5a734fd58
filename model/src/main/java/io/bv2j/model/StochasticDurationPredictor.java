package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** models.StochasticDurationPredictor (filter channels forced to the input's, 4 ConvFlows). */
public final class StochasticDurationPredictor extends Module {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private final Conv1d pre, proj, cond, postPre, postProj;
    private final DDSConv convs, postConvs;
    private final List<Flow> flows = new ArrayList<>(), postFlows = new ArrayList<>();

    public StochasticDurationPredictor(int in, int kernel, double pDropout, int nFlows, int ginChannels) {
        int filter = in; // the reference overrides filter_channels with in_channels
        flows.add(child("flows.0", new ElementwiseAffine(2)));
        for (int i = 0; i < nFlows; i++) {
            flows.add(child("flows." + (2 * i + 1), new ConvFlow(2, filter, kernel, 3)));
            flows.add(child("flows." + (2 * i + 2), new Flip()));
        }
        postPre = child("post_pre", Conv1d.of(1, filter, 1).build());
        postProj = child("post_proj", Conv1d.of(filter, filter, 1).build());
        postConvs = child("post_convs", new DDSConv(filter, kernel, 3, pDropout));
        postFlows.add(child("post_flows.0", new ElementwiseAffine(2)));
        for (int i = 0; i < 4; i++) {
            postFlows.add(child("post_flows." + (2 * i + 1), new ConvFlow(2, filter, kernel, 3)));
            postFlows.add(child("post_flows." + (2 * i + 2), new Flip()));
        }
        pre = child("pre", Conv1d.of(in, filter, 1).build());
        proj = child("proj", Conv1d.of(filter, filter, 1).build());
        convs = child("convs", new DDSConv(filter, kernel, 3, pDropout));
        cond = ginChannels != 0 ? child("cond", Conv1d.of(ginChannels, filter, 1).build()) : null;
    }

    private Tensor condition(Tensor x, Tensor mask, Tensor g) {
        // Detached like the reference: the duration loss does not train the text encoder.
        x = pre.forward(x.detach());
        if (g != null && cond != null) x = Ops.add(x, cond.forward(g.detach()));
        x = convs.forward(x, mask, null);
        return Ops.mul(proj.forward(x), mask);
    }

    /**
     * Reverse (inference): log durations [B, 1, T] from noise drawn as [B, 2, T] and scaled by
     * noiseScale. The reversed flow list drops its second-to-last element, as the reference does.
     */
    public Tensor reverse(Tensor x, Tensor mask, Tensor g, Noise noise, float noiseScale) {
        x = condition(x, mask, g);
        List<Flow> order = new ArrayList<>(flows.reversed());
        order.remove(order.size() - 2);
        Tensor z = Ops.scale(noise.normal("StochasticDurationPredictor.forward", x.dim(0), 2, x.dim(2)), noiseScale);
        for (Flow f : order) z = f.reverse(z, mask, x);
        return Ops.narrow(z, 1, 0, 1);
    }

    /** Forward (training): the negative log-likelihood bound of durations w [B, 1, T], per batch [B]. */
    public Tensor nll(Tensor x, Tensor mask, Tensor w, Tensor g, Noise noise) {
        x = condition(x, mask, g);
        Tensor hw = postConvs.forward(postPre.forward(w), mask, null);
        hw = Ops.mul(postProj.forward(hw), mask);
        Tensor eq = Ops.mul(noise.normal("StochasticDurationPredictor.forward", w.dim(0), 2, w.dim(2)), mask);
        Tensor zq = eq;
        Tensor postCond = Ops.add(x, hw);
        Tensor logdetQ = null;
        for (Flow f : postFlows) {
            Flow.Result r = f.forward(zq, mask, postCond);
            zq = r.y();
            logdetQ = logdetQ == null ? r.logdet() : Ops.add(logdetQ, r.logdet());
        }
        Tensor zu = Ops.narrow(zq, 1, 0, 1), z1 = Ops.narrow(zq, 1, 1, 1);
        Tensor u = Ops.mul(Ops.sigmoid(zu), mask);
        Tensor z0 = Ops.mul(Ops.sub(w, u), mask);
        Tensor logsig = Ops.add(Ops.logSigmoid(zu), Ops.logSigmoid(Ops.scale(zu, -1f)));
        logdetQ = Ops.add(logdetQ, Ops.sumPerBatch(Ops.mul(logsig, mask)));
        Tensor gaussQ = Ops.mul(Ops.affine(Ops.mul(eq, eq), -0.5f, (float) (-0.5 * LOG_2PI)), mask);
        Tensor logq = Ops.sub(Ops.sumPerBatch(gaussQ), logdetQ);

        // Log flow: z0 = log(max(z0, 1e-5)) * mask with log-det sum(-z0)
        z0 = Ops.mul(Ops.log(Ops.clampMin(z0, 1e-5f)), mask);
        Tensor logdet = Ops.scale(Ops.sumPerBatch(z0), -1f);
        Tensor z = Ops.cat(1, z0, z1);
        for (Flow f : flows) {
            Flow.Result r = f.forward(z, mask, x);
            z = r.y();
            logdet = Ops.add(logdet, r.logdet());
        }
        Tensor gauss = Ops.mul(Ops.affine(Ops.mul(z, z), 0.5f, (float) (0.5 * LOG_2PI)), mask);
        Tensor nll = Ops.sub(Ops.sumPerBatch(gauss), logdet);
        return Ops.add(nll, logq);
    }
}
