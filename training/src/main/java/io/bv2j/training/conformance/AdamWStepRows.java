package io.bv2j.training.conformance;

import io.bv2j.conformance.Compare;
import io.bv2j.conformance.GoldenFile;
import io.bv2j.conformance.Row;
import io.bv2j.training.Checkpointing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of one module's AdamW step against train_step.safetensors, through {@link AdamWStepCheck}:
 * <ul>
 *   <li>every parameter after the step, element by element, against {@code after/<module>.*}; a
 *       parameter the reference leaves without a gradient (torch skips it) must be unchanged, exactly;</li>
 *   <li>the reference side's premise, one row for the module: its {@code after/} is the first AdamW
 *       step of the parameters before it with its own gradient and config.json's hyperparameters;</li>
 *   <li>the step counts, one row: every state of ours, and of the checkpoint after the step when
 *       given, is at step 1 — the bounds are those of a first step from empty state;</li>
 *   <li>when the checkpoint after the step is given, its exp_avg and exp_avg_sq element by element.</li>
 * </ul>
 */
final class AdamWStepRows {
    private final String caseId;
    private final GoldenFile golden;
    private final AdamWStepCheck check;

    AdamWStepRows(String caseId, GoldenFile golden, AdamWStepCheck check) {
        this.caseId = caseId;
        this.golden = golden;
        this.check = check;
    }

    /**
     * `module` names the module as the golden file prefixes it (net_g); `gradPrefix` its reference
     * gradients; `checkpoint` the file `referenceState` was read from, null when not given.
     */
    List<Row> rows(String module, String gradPrefix, List<ParameterStep> steps, String checkpoint,
                   Map<String, Checkpointing.SavedState> referenceState) {
        List<Row> rows = new ArrayList<>();
        double premiseWorst = 0, premiseMaxAbs = 0;
        int premiseTensors = 0;
        for (ParameterStep s : steps) {
            String key = "after/" + module + "." + s.name(), gradKey = gradPrefix + s.name();
            if (!golden.has(key)) {
                rows.add(Row.failure(caseId, key, "missing from the golden file"));
                continue;
            }
            float[] ref = golden.raw(key).toFloats();
            if (!golden.has(gradKey)) {
                rows.add(Compare.floats(caseId, key + " (no gradient: unchanged)", s.after(), ref, 0, true));
                continue;
            }
            float[] gRef = golden.raw(gradKey).toFloats();
            float[] gOurs = s.grad() == null ? new float[gRef.length] : s.grad();
            if (!sameLength(rows, key, gRef, s.before(), gOurs, s.after(), ref)) continue;
            AdamWStepCheck.Verdict premise = check.reference(s.before(), gRef, ref);
            premiseWorst = Math.max(premiseWorst, premise.worstRatio());
            premiseMaxAbs = Math.max(premiseMaxAbs, premise.maxAbs());
            premiseTensors++;
            AdamWStepCheck.Verdict v = check.parameters(s.before(), gRef, gOurs, ref, s.after());
            rows.add(new Row(caseId, key + " (element-wise AdamW bound; " + v.undetermined() + " of " + v.elements()
                    + " elements' direction within gradient noise)", v.worstRatio(), v.maxAbs(), 1, false, null));
            if (referenceState != null) rows.addAll(moments(module, checkpoint, s, gRef, gOurs, referenceState));
        }
        rows.add(new Row(caseId, "after/" + module + ".* (reference = first AdamW step by config.json; "
                + premiseTensors + " tensors)", premiseWorst, premiseMaxAbs, 1, false, null));
        rows.add(stepCounts(module, steps, referenceState));
        return rows;
    }

    private List<Row> moments(String module, String checkpoint, ParameterStep s, float[] gRef, float[] gOurs,
                              Map<String, Checkpointing.SavedState> referenceState) {
        String key = checkpoint + "/" + module + "." + s.name();
        Checkpointing.SavedState ref = referenceState.get(s.name());
        if (ref == null) return List.of(Row.failure(caseId, key, "no optimizer state in " + checkpoint));
        if (s.expAvg() == null) return List.of(Row.failure(caseId, key, "our optimizer has no state for it"));
        AdamWStepCheck.Verdict m = check.expAvg(gRef, gOurs, ref.expAvg(), s.expAvg());
        AdamWStepCheck.Verdict v = check.expAvgSq(gRef, gOurs, ref.expAvgSq(), s.expAvgSq());
        return List.of(new Row(caseId, key + " exp_avg (element-wise bound)", m.worstRatio(), m.maxAbs(), 1, false, null),
                new Row(caseId, key + " exp_avg_sq (element-wise bound)", v.worstRatio(), v.maxAbs(), 1, false, null));
    }

    /** Largest |step − 1| over our stepped parameters and the reference's states (exact 0 passes). */
    private Row stepCounts(String module, List<ParameterStep> steps, Map<String, Checkpointing.SavedState> referenceState) {
        double worst = 0;
        for (ParameterStep s : steps) if (s.grad() != null) worst = Math.max(worst, Math.abs(s.step() - 1));
        if (referenceState != null) {
            for (Checkpointing.SavedState r : referenceState.values()) worst = Math.max(worst, Math.abs(r.step() - 1));
        }
        String whose = referenceState == null ? "ours" : "ours and the checkpoint's";
        return new Row(caseId, "optimizer/" + module + ".* step (first step from empty state: " + whose + " all 1)",
                worst, worst, 0, true, null);
    }

    private boolean sameLength(List<Row> rows, String key, float[] gRef, float[]... others) {
        for (float[] o : others) {
            if (o.length != gRef.length) {
                rows.add(Row.failure(caseId, key, o.length + " values but the reference gradient has " + gRef.length));
                return false;
            }
        }
        return true;
    }
}
