package io.bv2j.conformance;

import io.bv2j.model.InferInput;
import io.bv2j.model.InferResult;
import io.bv2j.model.ReplayNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** infer_*.safetensors: SynthesizerTrn.infer on the file's batch with its recorded noise; every stage compared. */
public final class InferCase implements ConformanceCase {
    private static final List<String> INTEGER_OUTPUTS = List.of("w_ceil", "y_lengths", "attn");
    private final String file;

    public InferCase(String file) {
        this.file = file;
    }

    @Override
    public String group() {
        return "infer";
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile g) {
        SynthesizerTrn net = ctx.generator();
        InferInput in = new InferInput(g.intRows("in/x"), g.intRows("in/tone"), g.intRows("in/language"),
                g.ints("in/x_lengths"), g.tensor("in/bert"), g.tensor("in/ja_bert"), g.ints("in/sid"), null,
                (float) g.metaDouble("noise_scale"), (float) g.metaDouble("noise_scale_w"),
                (float) g.metaDouble("length_scale"), (float) g.metaDouble("sdp_ratio"), Long.MAX_VALUE);
        ReplayNoise noise = g.noise();
        InferResult r = net.infer(in, noise);
        Map<String, Tensor> ours = new LinkedHashMap<>();
        ours.put("g", r.g());
        ours.put("enc_x", r.encX());
        ours.put("m_p", r.mP());
        ours.put("logs_p", r.logsP());
        ours.put("x_mask", r.xMask());
        ours.put("logw_sdp", r.logwSdp());
        ours.put("logw_dp", r.logwDp());
        ours.put("logw", r.logw());
        ours.put("w_ceil", r.wCeil());
        ours.put("y_mask", r.yMask());
        ours.put("attn", r.attn());
        ours.put("m_p_expanded", r.mPExpanded());
        ours.put("logs_p_expanded", r.logsPExpanded());
        ours.put("z_p", r.zP());
        ours.put("z", r.z());
        ours.put("o", r.o());
        List<Row> rows = new ArrayList<>();
        for (String name : g.names("out/")) {
            String key = "out/" + name;
            if (name.equals("y_lengths")) {
                long[] ourLengths = new long[r.yLengths().length];
                for (int i = 0; i < ourLengths.length; i++) ourLengths[i] = r.yLengths()[i];
                rows.add(Compare.integers(file, key, ourLengths, g.longs(key)));
                continue;
            }
            Tensor t = ours.get(name);
            if (t == null) {
                rows.add(Row.failure(file, key, "not computed"));
                continue;
            }
            var ref = g.raw(key);
            boolean integer = INTEGER_OUTPUTS.contains(name);
            Row row = Compare.floats(file, key, t, ref.toFloats(), ref.shape(), Tolerances.INFER);
            rows.add(integer && row.message() == null
                    ? new Row(row.caseId(), row.tensor(), row.relL2(), row.maxAbs(), 0, true, null) : row);
        }
        if (noise.remaining() != 0) {
            rows.add(Row.failure(file, "noise", noise.remaining() + " recorded draws were not used"));
        }
        return rows;
    }
}
