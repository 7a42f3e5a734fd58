package io.bv2j.training;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.List;

/** losses.py: LSGAN discriminator/generator losses, feature matching, KL; each a one-element tensor. */
public final class Losses {
    private Losses() {
    }

    /** Σ_k mean((1 − D(real))²) + mean(D(fake)²). */
    public static Tensor discriminator(List<Tensor> real, List<Tensor> fake) {
        Tensor loss = null;
        for (int k = 0; k < real.size(); k++) {
            Tensor r = Ops.affine(real.get(k), -1f, 1f), f = fake.get(k);
            Tensor term = Ops.add(Ops.mean(Ops.mul(r, r)), Ops.mean(Ops.mul(f, f)));
            loss = loss == null ? term : Ops.add(loss, term);
        }
        return loss;
    }

    /** Σ_k mean((1 − D(fake))²). */
    public static Tensor generator(List<Tensor> fake) {
        Tensor loss = null;
        for (Tensor f : fake) {
            Tensor d = Ops.affine(f, -1f, 1f);
            Tensor term = Ops.mean(Ops.mul(d, d));
            loss = loss == null ? term : Ops.add(loss, term);
        }
        return loss;
    }

    /** 2 · Σ over discriminators and layers of mean|f_real − f_fake|, the real maps detached. */
    public static Tensor featureMatching(List<List<Tensor>> real, List<List<Tensor>> fake) {
        Tensor loss = null;
        for (int d = 0; d < real.size(); d++) {
            for (int l = 0; l < real.get(d).size(); l++) {
                Tensor term = Ops.mean(Ops.abs(Ops.sub(real.get(d).get(l).detach(), fake.get(d).get(l))));
                loss = loss == null ? term : Ops.add(loss, term);
            }
        }
        return Ops.scale(loss, 2f);
    }

    /** kl_loss: Σ[(logs_p − logs_q − ½) + ½ (z_p − m_p)² e^{−2 logs_p}] · mask / Σ mask. */
    public static Tensor kl(Tensor zP, Tensor logsQ, Tensor mP, Tensor logsP, Tensor mask) {
        Tensor kl = Ops.affine(Ops.sub(logsP, logsQ), 1f, -0.5f);
        Tensor d = Ops.sub(zP, mP);
        kl = Ops.add(kl, Ops.mul(Ops.scale(Ops.mul(d, d), 0.5f), Ops.exp(Ops.scale(logsP, -2f))));
        return Ops.div(Ops.sumAll(Ops.mul(kl, mask)), Ops.sumAll(mask));
    }

    /** F.l1_loss: mean |a − b|. */
    public static Tensor l1(Tensor a, Tensor b) {
        return Ops.mean(Ops.abs(Ops.sub(a, b)));
    }
}
