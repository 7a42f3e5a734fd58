package io.bv2j.io;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchCheckpointTest {

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- golden checkpoints

    @Test
    void goldenG0EqualsItsSafetensorsExport() {
        SafeTensors reference = SafeTensors.read(GoldenFiles.dev("G_0.safetensors"));
        try (TorchCheckpoint ck = TorchCheckpoint.read(GoldenFiles.dev("G_0.pth"))) {
            Map<String, RawTensor> model = ck.modelStateDict();
            assertEquals(reference.tensors().keySet(), model.keySet());
            for (Map.Entry<String, RawTensor> e : model.entrySet()) {
                RawTensor expected = reference.get(e.getKey());
                assertEquals(expected.dtype(), e.getValue().dtype(), e.getKey());
                assertArrayEquals(expected.shape(), e.getValue().shape(), e.getKey());
                assertArrayEquals(expected.toBytes(), e.getValue().toBytes(), e.getKey());
            }
            assertEquals(0, ck.iteration().orElseThrow());
            assertEquals(3e-4, ck.learningRate().orElseThrow());
            Map<?, ?> optimizer = assertInstanceOf(Map.class, ck.optimizer());
            assertEquals(Map.of(), optimizer.get("state"));
        }
    }

    @Test
    void goldenG1SkipsTheOptimizerCheaply() {
        try (TorchCheckpoint ck = TorchCheckpoint.read(GoldenFiles.dev("G_1.pth"))) {
            assertEquals(0, ck.storageReads(), "unpickling reads no tensor data");
            Map<String, RawTensor> model = ck.modelStateDict();
            assertEquals(1156, model.size());
            assertEquals(0, ck.storageReads());
            for (RawTensor t : model.values()) {
                t.toFloats();
            }
            assertEquals(model.size(), ck.storageReads(), "one read per model tensor, none for the optimizer");
            assertEquals(1, ck.iteration().orElseThrow());
            assertEquals(3e-4, ck.learningRate().orElseThrow());

            Map<?, ?> optimizer = assertInstanceOf(Map.class, ck.optimizer());
            Map<?, ?> state = assertInstanceOf(Map.class, optimizer.get("state"));
            assertEquals(1156, state.size());
            Map<?, ?> first = assertInstanceOf(Map.class, state.get(0L));
            RawTensor expAvg = assertInstanceOf(RawTensor.class, first.get("exp_avg"));
            assertArrayEquals(model.get("enc_p.emb.weight").shape(), expAvg.shape());
            RawTensor step = assertInstanceOf(RawTensor.class, first.get("step"));
            assertEquals(0, step.shape().length);
            assertArrayEquals(new long[] {1}, step.toLongs());
            assertEquals(model.size() + 1, ck.storageReads());
            List<?> groups = assertInstanceOf(List.class, optimizer.get("param_groups"));
            Map<?, ?> group = assertInstanceOf(Map.class, groups.getFirst());
            assertEquals(List.of(0.8, 0.99), group.get("betas"));
            assertEquals(1156, ((List<?>) group.get("params")).size());
        }
    }

    @Test
    void goldenDurationDiscriminator() {
        try (TorchCheckpoint ck = TorchCheckpoint.read(GoldenFiles.dev("DUR_0.pth"))) {
            Map<String, RawTensor> model = ck.modelStateDict();
            assertEquals(22, model.size());
            assertArrayEquals(new long[] {32, 32, 3}, model.get("conv_1.weight").shape());
            assertNull(ck.optimizer());
            assertEquals(0, ck.iteration().orElseThrow());
        }
    }

    @Test
    void tensorsStayReadableAfterClose() {
        Map<String, RawTensor> model;
        try (TorchCheckpoint ck = TorchCheckpoint.read(GoldenFiles.dev("DUR_0.pth"))) {
            model = ck.modelStateDict();
        }
        assertEquals(32 * 32 * 3, model.get("conv_1.weight").toFloats().length);
    }

    // ---------------------------------------------------------------- damaged files

    private static String errorOf(Path p) {
        Bv2jException e = assertThrows(Bv2jException.class, () -> TorchCheckpoint.read(p).close());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedCopiesFailCleanly() throws IOException {
        byte[] all = Files.readAllBytes(GoldenFiles.dev("G_0.pth"));
        Path cut = tmp.resolve("G_0.pth");
        for (int n : new int[] {0, 1, 3, 4, 100, 1000, all.length / 2, all.length - 22, all.length - 1}) {
            Files.write(cut, Arrays.copyOf(all, n));
            errorOf(cut);
        }
    }

    @Test
    void randomBytesAndLegacyFilesAreRefused() throws IOException {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        noise[0] = 'x';
        Path p = Files.write(tmp.resolve("noise.pth"), noise);
        assertEquals(p + ": not a PyTorch zip checkpoint (legacy torch.save format is not supported)", errorOf(p));
        noise[0] = 'P';
        noise[1] = 'K';
        assertTrue(errorOf(Files.write(p, noise)).contains("truncated or damaged zip archive"));
        noise[0] = (byte) 0x80;
        noise[1] = 2;
        assertTrue(errorOf(Files.write(p, noise)).contains("legacy (pre-1.6, non-zip) torch.save format"));
        assertTrue(errorOf(tmp.resolve("absent.pth")).contains("no such file"));
    }

    // ---------------------------------------------------------------- hand-built archives

    private Path archive(PickleBuilder pickle, Map<String, byte[]> storages) throws IOException {
        return PickleBuilder.zip(tmp.resolve("hand.pth"), pickle.bytes(), storages, Map.of());
    }

    @Test
    void forbiddenGlobalIsNamedAndNothingRuns() throws IOException {
        PickleBuilder p = new PickleBuilder().proto().global("os", "system").str("touch pwned").op(0x85).op('R').stop();
        Path file = archive(p, Map.of());
        assertEquals(file + ": forbidden pickle global 'os.system' (only torch tensor rebuild functions, storages "
                + "and OrderedDict are allowed)", errorOf(file));
        assertFalse(Files.exists(Path.of("pwned")));
        PickleBuilder q = new PickleBuilder().proto().global("torch._utils", "_rebuild_parameter_with_state").stop();
        assertTrue(errorOf(archive(q, Map.of())).contains("'torch._utils._rebuild_parameter_with_state'"));
    }

    @Test
    void handBuiltStateDictReads() throws IOException {
        PickleBuilder p = new PickleBuilder().proto().global("collections", "OrderedDict").op(')').op('R').mark()
                .str("w").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .str("w_t").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3})
                .str("tail").tensor("FloatStorage", "0", 6, 1, new long[] {2}, new long[] {2})
                .str("expanded").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {0, 1})
                .str("empty").tensor("FloatStorage", "0", 6, 99, new long[] {0}, new long[] {1})
                .str("ids").tensor("LongStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .op('u') // SETITEMS
                .op('}').op('b') // BUILD with an empty state, as OrderedDict pickles do
                .stop();
        Path file = archive(p, Map.of("0", PickleBuilder.floats(0, 1, 2, 3, 4, 5),
                "1", new byte[] {7, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1}));
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            Map<String, RawTensor> sd = ck.modelStateDict();
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, sd.get("w").toFloats());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("w_t").toFloats());
            assertArrayEquals(new float[] {1, 3}, sd.get("tail").toFloats());
            assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, sd.get("expanded").toFloats());
            assertEquals(0, sd.get("empty").toFloats().length);
            assertArrayEquals(new long[] {7, -1}, sd.get("ids").toLongs());
            assertTrue(ck.iteration().isEmpty());
            assertTrue(ck.learningRate().isEmpty());
            assertNull(ck.optimizer());
        }
    }

    @Test
    void parameterWrapperIsUnwrapped() throws IOException {
        PickleBuilder p = new PickleBuilder().proto().op('}').mark()
                .str("model").op('}').mark()
                .str("p").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .op(0x88).global("collections", "OrderedDict").op(')').op('R').op('t').op('R')
                .op('u')
                .str("iteration").integer(5)
                .op('u').stop();
        Path file = archive(p, Map.of("0", PickleBuilder.floats(1, 2)));
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            assertArrayEquals(new float[] {1, 2}, ck.modelStateDict().get("p").toFloats());
            assertEquals(5, ck.iteration().orElseThrow());
        }
    }

    @Test
    void storageBoundsAreCheckedBeforeReading() throws IOException {
        PickleBuilder beyond = new PickleBuilder().proto()
                .tensor("FloatStorage", "0", 4, 2, new long[] {3}, new long[] {1}).stop();
        assertTrue(errorOf(archive(beyond, Map.of("0", PickleBuilder.floats(0, 1, 2, 3))))
                .contains("reach element 4 but the storage has only 4"));
        PickleBuilder strided = new PickleBuilder().proto()
                .tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {3, 1}).stop();
        assertTrue(errorOf(archive(strided, Map.of("0", PickleBuilder.floats(0, 1, 2, 3))))
                .contains("reach element 4"));
        PickleBuilder lyingNumel = new PickleBuilder().proto()
                .tensor("FloatStorage", "0", 1L << 30, 0, new long[] {1 << 20}, new long[] {1}).stop();
        assertTrue(errorOf(archive(lyingNumel, Map.of("0", PickleBuilder.floats(0, 1))))
                .contains("claims 1073741824 elements of F32 but its entry holds only 8 bytes"));
        PickleBuilder missing = new PickleBuilder().proto()
                .tensor("FloatStorage", "7", 1, 0, new long[] {1}, new long[] {1}).stop();
        assertTrue(errorOf(archive(missing, Map.of())).contains("storage 'data/7' is referenced but missing"));
        PickleBuilder sneaky = new PickleBuilder().proto()
                .tensor("FloatStorage", "../../etc/passwd", 1, 0, new long[] {1}, new long[] {1}).stop();
        assertTrue(errorOf(archive(sneaky, Map.of())).contains("invalid storage key"));
    }

    @Test
    void byteOrderIsChecked() throws IOException {
        byte[] pickle = new PickleBuilder().proto().op('}').stop().bytes();
        Path big = PickleBuilder.zip(tmp.resolve("big.pth"), pickle, Map.of(), Map.of("byteorder", "big".getBytes()));
        assertEquals(big + ": byteorder is 'big'; only little-endian checkpoints are supported", errorOf(big));
        Path little = PickleBuilder.zip(tmp.resolve("little.pth"), pickle, Map.of(),
                Map.of("byteorder", "little".getBytes()));
        try (TorchCheckpoint ck = TorchCheckpoint.read(little)) {
            assertEquals(Map.of(), ck.root());
        }
    }

    @Test
    void zipWithoutPickleIsRefused() throws IOException {
        Path file = tmp.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
            zip.closeEntry();
        }
        assertTrue(errorOf(file).contains("no <folder>/data.pkl"));
    }

    @Test
    void malformedPicklesFailCleanly() throws IOException {
        assertTrue(errorOf(archive(new PickleBuilder().proto().op(0xFF), Map.of()))
                .contains("unsupported pickle opcode 0xff"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('}'), Map.of())).contains("truncated pickle"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('X', 0xFF, 0xFF, 0xFF, 0x7F), Map.of()))
                .contains("truncated pickle"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('.'), Map.of())).contains("stack underflow"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('h', 3).stop(), Map.of()))
                .contains("memo entry 3 used before it was set"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('}').op(']').op('}').op('s').stop(), Map.of()))
                .contains("dict key of type a list is not supported"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('}').op('}').op('b').stop(), Map.of()))
                .contains("sets the state of a dict"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op(')').op('K', 1).op('a').stop(), Map.of()))
                .contains("APPEND to a tuple"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().global("torch", "FloatStorage").op(')').op('R')
                .stop(), Map.of())).contains("pickle calls torch.FloatStorage with 0 arguments"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().str("x").op('Q').stop(), Map.of()))
                .contains("unexpected persistent id"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op('c').op("nonewline".chars().toArray()), Map.of()))
                .contains("GLOBAL name without a newline"));
        assertTrue(errorOf(archive(new PickleBuilder().proto().op(0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9).stop(),
                Map.of())).contains("integer of 9 bytes is too large"));
        byte[] invalidUtf8 = new PickleBuilder().proto().op('X', 1, 0, 0, 0, 0xC3).stop().bytes();
        assertTrue(errorOf(PickleBuilder.zip(tmp.resolve("utf.pth"), invalidUtf8, Map.of(), Map.of()))
                .contains("not valid UTF-8"));
    }

    @Test
    void resourceBombsAreBounded() throws IOException {
        PickleBuilder dicts = new PickleBuilder().proto();
        for (int i = 0; i <= PickleMachine.MAX_STACK; i++) {
            dicts.op('}');
        }
        assertTrue(errorOf(archive(dicts, Map.of())).contains("stack deeper than"));
        // Each dict is built and dropped into one list, so the stack stays small but objects pile up.
        PickleBuilder objects = new PickleBuilder().proto().op(']');
        for (int i = 0; i <= PickleMachine.MAX_OBJECTS; i++) {
            objects.op('}', 'a');
        }
        assertTrue(errorOf(archive(objects, Map.of())).contains("more than " + PickleMachine.MAX_OBJECTS + " objects"));
    }

    @Test
    void modelStateDictExplainsWhatItFound() throws IOException {
        PickleBuilder listRoot = new PickleBuilder().proto().op(']').stop();
        Path file = archive(listRoot, Map.of());
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            Bv2jException e = assertThrows(Bv2jException.class, ck::modelStateDict);
            assertEquals(file + ": top-level object is a list, expected a dict holding a state dict", e.getMessage());
        }
        PickleBuilder badModel = new PickleBuilder().proto().op('}').str("model").op('}').str("x").integer(1)
                .op('s').op('s').stop();
        try (TorchCheckpoint ck = TorchCheckpoint.read(archive(badModel, Map.of()))) {
            Bv2jException e = assertThrows(Bv2jException.class, ck::modelStateDict);
            assertTrue(e.getMessage().contains("the 'model' entry is not a state dict (entry x is an int"),
                    e.getMessage());
        }
    }
}
