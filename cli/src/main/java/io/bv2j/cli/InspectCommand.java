package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.TorchCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** bv2j inspect: what a checkpoint holds, without building a network. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Describe a G_*.pth / D_*.pth / .safetensors checkpoint.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "checkpoint file")
    Path checkpoint;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String name = checkpoint.getFileName().toString();
        if (name.endsWith(".safetensors")) {
            SafeTensors st = SafeTensors.read(checkpoint);
            out.println("file: " + name + " (safetensors)");
            describe(st.tensors(), out);
            return 0;
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.read(checkpoint)) {
            out.println("file: " + name + " (PyTorch zip checkpoint)");
            ckpt.iteration().ifPresent(i -> out.println("iteration: " + i));
            ckpt.learningRate().ifPresent(lr -> out.println("learning_rate: " + lr));
            Object opt = ckpt.optimizer();
            out.println("optimizer: " + describeOptimizer(opt));
            describe(ckpt.modelStateDict(), out);
        }
        return 0;
    }

    private static String describeOptimizer(Object opt) {
        if (opt == null) return "none";
        if (opt instanceof Map<?, ?> m && m.get("state") instanceof Map<?, ?> state) {
            return "present (" + state.size() + " parameter states" + (state.isEmpty() ? ", empty: not trained yet" : "") + ")";
        }
        return "present";
    }

    private static void describe(Map<String, RawTensor> sd, PrintWriter out) {
        long params = 0;
        for (RawTensor t : sd.values()) params += t.numel();
        out.printf("tensors: %d, parameters: %,d%n", sd.size(), params);
        boolean generator = sd.containsKey("enc_p.emb.weight");
        if (!generator) {
            String kind = sd.keySet().stream().anyMatch(k -> k.startsWith("discriminators.")) ? "multi-period discriminator"
                    : sd.containsKey("dur_proj.weight") ? "duration discriminator" : "unknown";
            out.println("kind: " + kind);
            return;
        }
        out.println("kind: generator (SynthesizerTrn)");
        out.println("version guess: " + versionGuess(sd));
        RawTensor emb = sd.get("enc_p.emb.weight");
        out.println("symbols: " + emb.shape()[0] + ", hidden_channels: " + emb.shape()[1]);
        RawTensor proj = sd.get("enc_p.proj.weight");
        if (proj != null) out.println("inter_channels: " + proj.shape()[0] / 2);
        out.println("text encoder layers: " + count(sd, "^enc_p\\.encoder\\.attn_layers\\.(\\d+)\\."));
        RawTensor embG = sd.get("emb_g.weight");
        if (embG != null) {
            out.println("speakers: " + embG.shape()[0] + " (speaker embedding), gin_channels: " + embG.shape()[1]);
        } else if (sd.keySet().stream().anyMatch(k -> k.startsWith("ref_enc."))) {
            out.println("speakers: none (reference encoder: n_speakers = 0)");
        }
        int transformerFlow = count(sd, "^flow\\.flows\\.0\\.enc\\.attn_layers\\.(\\d+)\\.");
        int flows = count(sd, "^flow\\.flows\\.(\\d+)\\.") ;
        out.println(transformerFlow > 0
                ? "flow: transformer coupling, " + (flows + 1) / 2 + " flows, n_layers_trans_flow " + transformerFlow
                : "flow: residual coupling (WN), " + (flows + 1) / 2 + " flows");
        RawTensor pre = sd.get("dec.conv_pre.weight");
        if (pre != null) out.println("decoder: upsample_initial_channel " + pre.shape()[0] + ", upsamplings "
                + count(sd, "^dec\\.ups\\.(\\d+)\\.") + ", resblocks " + count(sd, "^dec\\.resblocks\\.(\\d+)\\."));
        RawTensor qPre = sd.get("enc_q.pre.weight");
        if (qPre != null) out.println("posterior input channels: " + qPre.shape()[1]);
    }

    /** v1.1 has both bert_proj (1024) and ja_bert_proj (768); 1.0 lacks ja_bert; 2.x adds en_bert_proj. */
    private static String versionGuess(Map<String, RawTensor> sd) {
        boolean bert = sd.containsKey("enc_p.bert_proj.weight"), ja = sd.containsKey("enc_p.ja_bert_proj.weight");
        boolean en = sd.containsKey("enc_p.en_bert_proj.weight");
        if (en) return "2.x or later (en_bert_proj present): not supported by bv2j";
        if (bert && ja) return "1.1.x (bert_proj + ja_bert_proj)";
        if (bert) return "1.0.x (bert_proj only): not supported by bv2j";
        return "unknown";
    }

    private static int count(Map<String, RawTensor> sd, String regex) {
        Pattern p = Pattern.compile(regex);
        TreeSet<Integer> seen = new TreeSet<>();
        for (String k : sd.keySet()) {
            Matcher m = p.matcher(k);
            if (m.find()) seen.add(Integer.parseInt(m.group(1)));
        }
        return seen.isEmpty() ? 0 : seen.last() + 1;
    }

    static void requireFile(Path p) {
        if (!java.nio.file.Files.isRegularFile(p)) throw new Bv2jException(p + ": no such file");
    }
}
