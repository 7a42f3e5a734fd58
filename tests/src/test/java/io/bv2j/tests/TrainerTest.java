package io.bv2j.tests;

import io.bv2j.io.TorchCheckpoint;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `bv2j train` end to end on a generated corpus: train, resume, then the checkpoint loads in
 * PyTorch (torch.load, the state dict and the AdamW state) and in our own synthesizer.
 */
class TrainerTest {
    @TempDir
    Path tmp;

    @Test
    void trainsResumesAndWritesCheckpointsPyTorchLoads() throws Exception {
        Path config = TinyCorpus.write(tmp.resolve("corpus"), 10, 2);
        Path model = tmp.resolve("model");
        Cli first = Cli.run("train", "-c", config.toString(), "-m", model.toString(), "--max-steps", "2");
        assertEquals(0, first.code(), first.err());
        for (String f : new String[]{"G_2.pth", "D_2.pth", "DUR_2.pth", "metrics.jsonl", "report.html", "alignment.png",
                "mel_target.png", "mel_generated.png", "eval_0.wav", "config.json"}) {
            assertTrue(Files.exists(model.resolve(f)), f + " written");
        }
        Cli resumed = Cli.run("train", "-c", config.toString(), "-m", model.toString(), "--resume", "--max-steps", "4");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("trained steps 2..4"), resumed.out());
        try (TorchCheckpoint ck = TorchCheckpoint.read(model.resolve("G_4.pth"))) {
            assertTrue(ck.optimizer() != null, "optimizer state saved");
            // 8 training items in batches of 4: step 4 ends epoch 2, and the reference saves the epoch as iteration
            assertEquals(2, ck.iteration().orElseThrow(), "iteration is the epoch, as the reference saves it");
        }
        // Our own inference loads the trained generator (weight norm folded from g and v).
        try (Synthesizer s = Synthesizer.load(config, model.resolve("G_4.pth"))) {
            float[] audio = s.synthesize(Utterance.of("a", new int[]{0, 40, 0}, new int[]{0, 8, 0}, new int[]{0, 2, 0}),
                    SynthesisOptions.defaults()).samples();
            assertTrue(audio.length > 0);
        }
        assertPyTorchLoads(model.resolve("G_4.pth"), model.resolve("D_4.pth"));
    }

    /** torch.load with the reference's settings; the AdamW state loads into an AdamW over matching parameters. */
    static void assertPyTorchLoads(Path... checkpoints) throws IOException, InterruptedException {
        if (!torchAvailable()) {
            String msg = "PyTorch (/usr/bin/python3 with torch) not installed: checkpoint compatibility not checked";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(msg);
            Assumptions.abort(msg);
        }
        for (Path ckpt : checkpoints) {
            String script = String.join("\n",
                    "import sys, torch",
                    "ck = torch.load(sys.argv[1], map_location='cpu')",
                    "sd = ck['model']",
                    "params = [torch.nn.Parameter(t.clone()) for t in sd.values() if t.is_floating_point()]",
                    "opt = torch.optim.AdamW(params, lr=ck['learning_rate'], betas=(0.8, 0.99), eps=1e-9)",
                    "opt.load_state_dict(ck['optimizer'])",
                    "assert len(ck['optimizer']['state']) == len(params), 'state per parameter'",
                    "assert all(v.dtype == torch.float32 for v in sd.values())",
                    "print('ok', len(sd), ck['iteration'])");
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, ckpt.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python timed out");
            assertEquals(0, p.exitValue(), ckpt.getFileName() + ": " + out);
            assertTrue(out.startsWith("ok"), out);
        }
    }

    static boolean torchAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) return false;
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
