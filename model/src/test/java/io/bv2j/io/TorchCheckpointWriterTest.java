package io.bv2j.io;

import io.bv2j.Bv2jException;
import io.bv2j.io.TorchCheckpointWriter.OptimizerState;
import io.bv2j.io.TorchCheckpointWriter.ParamState;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TorchCheckpointWriterTest {

    private static final String PYTHON = "/usr/bin/python3";

    /**
     * Shared by the scripts. weights_only=True is judged against torch's own files: torch 1.13's
     * restricted unpickler lacks BINFLOAT, so it refuses every trainer checkpoint (the float
     * learning_rate), the reference's G_1.pth included; ours must fare exactly as torch's do.
     */
    private static final String PRELUDE = """
            import sys, torch
            def check(ok, what):
                if not ok:
                    sys.exit('MISMATCH: ' + what)
            def load_weights_only(path):
                try:
                    return torch.load(path, map_location='cpu', weights_only=True), None
                except Exception as e:
                    return None, type(e).__name__ + ': ' + str(e).split('error: ')[-1]
            def same_weights_only_verdict(ours, torchs):
                ck, err = load_weights_only(ours)
                _, torch_err = load_weights_only(torchs)
                check(err == torch_err, "weights_only=True: ours %s, torch's %s" % (err, torch_err))
                print('torch', torch.__version__, 'weights_only=True:',
                      'loads' if err is None else "refused, as torch's own file is (%s)" % err)
                return ck
            """;

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- a small checkpoint, both ways

    /** Parameters 0..2 of the optimizer are the first three tensors; the I64 buffer is not a parameter. */
    private static LinkedHashMap<String, RawTensor> smallModel() {
        LinkedHashMap<String, RawTensor> model = new LinkedHashMap<>();
        model.put("enc.weight", ramp(new long[] {3, 4}, 0f));
        model.put("enc.bias", ramp(new long[] {4}, 1f));
        model.put("dec.0.empty", ramp(new long[] {0, 3}, 0f));
        model.put("dec.0.num_batches_tracked", RawTensor.ofLongs(new long[0], new long[] {7}));
        return model;
    }

    /** Elements {@code k * 0.25 - 3 + shift}: exact in float32, so Python can rebuild them. */
    private static RawTensor ramp(long[] shape, float shift) {
        float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int k = 0; k < data.length; k++) {
            data[k] = k * 0.25f - 3 + shift;
        }
        return RawTensor.ofFloats(shape, data);
    }

    private static OptimizerState smallOptimizer() {
        List<ParamState> states = new ArrayList<>();
        states.add(new ParamState(5, ramp(new long[] {3, 4}, 10f), ramp(new long[] {3, 4}, 20f)));
        states.add(null); // enc.bias has not been stepped
        states.add(new ParamState(5, ramp(new long[] {0, 3}, 0f), ramp(new long[] {0, 3}, 0f)));
        return new OptimizerState(states, 2.5e-4, 0.8, 0.99, 1e-9, 0.01, 3);
    }

    @Test
    void roundTripsThroughTorchCheckpoint() {
        Path path = tmp.resolve("G_100.pth");
        LinkedHashMap<String, RawTensor> model = smallModel();
        TorchCheckpointWriter.write(path, model, 5_000_000_000L, 3e-4, smallOptimizer());

        try (TorchCheckpoint ck = TorchCheckpoint.read(path)) {
            Map<?, ?> root = assertInstanceOf(Map.class, ck.root());
            assertEquals(List.of("model", "iteration", "optimizer", "learning_rate"), List.copyOf(root.keySet()));
            LinkedHashMap<String, RawTensor> read = ck.modelStateDict();
            assertEquals(List.copyOf(model.keySet()), List.copyOf(read.keySet()));
            for (String name : model.keySet()) {
                assertEquals(model.get(name).dtype(), read.get(name).dtype(), name);
                assertArrayEquals(model.get(name).shape(), read.get(name).shape(), name);
                assertArrayEquals(model.get(name).toBytes(), read.get(name).toBytes(), name);
            }
            assertEquals(5_000_000_000L, ck.iteration().orElseThrow());
            assertEquals(3e-4, ck.learningRate().orElseThrow());

            OptimizerState opt = optimizerState(ck);
            OptimizerState expected = smallOptimizer();
            assertEquals(List.of(2.5e-4, 0.8, 0.99, 1e-9, 0.01, 3),
                    List.of(opt.lr(), opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay(), opt.paramCount()));
            assertEquals(null, opt.states().get(1));
            for (int i : new int[] {0, 2}) {
                ParamState want = expected.states().get(i);
                ParamState got = opt.states().get(i);
                assertEquals(want.step(), got.step());
                assertArrayEquals(want.expAvg().toBytes(), got.expAvg().toBytes());
                assertArrayEquals(want.expAvgSq().shape(), got.expAvgSq().shape());
                assertArrayEquals(want.expAvgSq().toBytes(), got.expAvgSq().toBytes());
            }
        }
    }

    @Test
    void writesWithoutAnOptimizer() {
        Path path = tmp.resolve("G_0.pth");
        TorchCheckpointWriter.write(path, smallModel(), 0, 2e-4, null);
        try (TorchCheckpoint ck = TorchCheckpoint.read(path)) {
            assertEquals(null, ck.optimizer());
            assertEquals(4, ck.modelStateDict().size());
            assertEquals(2e-4, ck.learningRate().orElseThrow());
        }
    }

    @Test
    void aFailedWriteKeepsThePreviousCheckpoint() throws IOException {
        Path path = tmp.resolve("G_100.pth");
        TorchCheckpointWriter.write(path, smallModel(), 100, 3e-4, smallOptimizer());
        byte[] before = Files.readAllBytes(path);

        LinkedHashMap<String, RawTensor> broken = smallModel();
        broken.put("late", RawTensor.lazy("late", DType.F32, new long[] {2}, () -> {
            throw new Bv2jException("device lost");
        }));
        assertThrows(Bv2jException.class, () -> TorchCheckpointWriter.write(path, broken, 200, 3e-4, null));

        assertArrayEquals(before, Files.readAllBytes(path));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(path), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void pytorchLoadsItIntoAdamW() throws IOException {
        Path path = tmp.resolve("G_100.pth");
        TorchCheckpointWriter.write(path, smallModel(), 123456, 3e-4, smallOptimizer());
        python(PRELUDE + """
                import struct, zipfile
                path, torch_copy = sys.argv[1:3]

                # Layout: torch's entry order, 64-byte aligned data, format version 3.
                z = zipfile.ZipFile(path)
                names = [i.filename for i in z.infolist()]
                check(names == ['G_100/data.pkl', 'G_100/byteorder']
                      + ['G_100/data/' + k for k in sorted(str(i) for i in range(10))]
                      + ['G_100/version'], str(names))
                check(z.read('G_100/version') == b'3\\n', 'version')
                raw = open(path, 'rb').read()
                for i in z.infolist():
                    check(i.compress_type == zipfile.ZIP_STORED, i.filename + ' compressed')
                    name_len, extra_len = struct.unpack('<HH', raw[i.header_offset + 26:i.header_offset + 30])
                    check((i.header_offset + 30 + name_len + extra_len) % 64 == 0, i.filename + ' unaligned')

                def ramp(shape, shift):
                    n = 1
                    for d in shape:
                        n *= d
                    return (torch.arange(n, dtype=torch.float32) * 0.25 - 3 + shift).reshape(shape)

                def same(a, b):
                    return a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)

                def verify(ck):
                    check(list(ck) == ['model', 'iteration', 'optimizer', 'learning_rate'], str(list(ck)))
                    m = ck['model']
                    check(type(m).__name__ == 'OrderedDict', type(m).__name__)
                    check(list(m) == ['enc.weight', 'enc.bias', 'dec.0.empty', 'dec.0.num_batches_tracked'], str(list(m)))
                    check(same(m['enc.weight'], ramp((3, 4), 0)), 'enc.weight')
                    check(same(m['enc.bias'], ramp((4,), 1)), 'enc.bias')
                    check(same(m['dec.0.empty'], ramp((0, 3), 0)), 'dec.0.empty')
                    check(same(m['dec.0.num_batches_tracked'], torch.tensor(7)), 'num_batches_tracked')
                    check(not any(t.requires_grad for t in m.values()), 'requires_grad')
                    check(list(m._metadata) == ['', 'enc', 'dec', 'dec.0'], str(m._metadata))
                    check(all(v == {'version': 1} for v in m._metadata.values()), str(m._metadata))
                    check(ck['iteration'] == 123456 and type(ck['iteration']) is int, 'iteration')
                    check(ck['learning_rate'] == 3e-4, 'learning_rate')
                    o = ck['optimizer']
                    check(sorted(o['state']) == [0, 2], str(list(o['state'])))
                    s0 = o['state'][0]
                    check(same(s0['step'], torch.tensor(5.0)), 'step ' + repr(s0['step']))
                    check(same(s0['exp_avg'], ramp((3, 4), 10)), 'exp_avg')
                    check(same(s0['exp_avg_sq'], ramp((3, 4), 20)), 'exp_avg_sq')
                    check(o['param_groups'] == [{'lr': 2.5e-4, 'betas': [0.8, 0.99], 'eps': 1e-9, 'weight_decay': 0.01,
                          'amsgrad': False, 'foreach': None, 'maximize': False, 'capturable': False,
                          'params': [0, 1, 2]}], str(o['param_groups']))

                ck = torch.load(path, map_location='cpu', weights_only=False)
                verify(ck)
                print('torch', torch.__version__, 'weights_only=False: loads')
                torch.save(ck, torch_copy)
                ck_weights_only = same_weights_only_verdict(path, torch_copy)
                if ck_weights_only is not None:
                    verify(ck_weights_only)

                # The real consumer: an AdamW over parameters of the same shapes takes the state and steps.
                params = [torch.nn.Parameter(torch.zeros(s)) for s in ((3, 4), (4,), (0, 3))]
                opt = torch.optim.AdamW(params, lr=1.0, betas=(0.5, 0.5), eps=1e-9, weight_decay=0.01)
                opt.load_state_dict(ck['optimizer'])
                check(torch.equal(opt.state[params[0]]['exp_avg'], ramp((3, 4), 10)), 'loaded exp_avg')
                check(opt.param_groups[0]['lr'] == 2.5e-4 and opt.param_groups[0]['betas'] == [0.8, 0.99], 'group')
                for p in params:
                    p.grad = torch.ones_like(p)
                opt.step()
                check(opt.state[params[0]]['step'].item() == 6.0, 'step after step')
                check(opt.state[params[1]]['step'].item() == 1.0, 'fresh state after step')
                print('AdamW load_state_dict + step OK')
                """, path.toString(), Files.createDirectories(tmp.resolve("torch")).resolve("G_100.pth").toString());
    }

    /** Everything PickleWriter emits must match CPython's pickle.dumps(protocol=2) byte for byte. */
    @Test
    void pickleBytesEqualCPython() throws IOException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("ints", List.of(0, 1, 255, 256, 65535, 65536, Integer.MAX_VALUE, -1, Integer.MIN_VALUE,
                (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE - 1, 1L << 32, -(1L << 39), Long.MAX_VALUE,
                Long.MIN_VALUE));
        value.put("floats", List.of(0.0, -0.0, 1.5, 3e-4, 1e-9, Double.MAX_VALUE, Double.POSITIVE_INFINITY));
        value.put("strs", List.of("", "a", "ä€😀", "x".repeat(300)));
        value.put("misc", Arrays.asList(null, true, false));
        value.put("tuples", List.of(PickleTuple.EMPTY, new PickleTuple(new Object[] {1}),
                new PickleTuple(new Object[] {1, 2}), new PickleTuple(new Object[] {1, 2, 3}),
                new PickleTuple(new Object[] {1, 2, 3, 4})));
        List<Object> longList = new ArrayList<>();
        Map<Object, Object> longDict = new LinkedHashMap<>();
        for (int i = 0; i < 2001; i++) {
            longList.add(i);
            longDict.put(i, "v" + i);
        }
        Map<Object, Object> thousand = new LinkedHashMap<>(longDict);
        thousand.keySet().retainAll(longList.subList(0, 1000));
        PickleWriter.Global orderedDict = new PickleWriter.Global("collections", "OrderedDict");
        value.put("longList", longList);
        value.put("longDict", longDict);
        value.put("thousand", thousand);
        value.put("oneItem", Map.of(1, List.of(2)));
        value.put("repeated", List.of("again", "again", orderedDict, orderedDict));
        value.put("orderedDicts", List.of(
                new PickleWriter.Reduce(orderedDict, PickleTuple.EMPTY, longDict, Map.of("_metadata", thousand)),
                new PickleWriter.Reduce(orderedDict, PickleTuple.EMPTY, thousand, null),
                new PickleWriter.Reduce(orderedDict, PickleTuple.EMPTY, Map.of(1, 2), null),
                new PickleWriter.Reduce(orderedDict, PickleTuple.EMPTY)));
        Path file = tmp.resolve("value.pkl");
        Files.write(file, PickleWriter.dumps(value));
        python("""
                import collections, pickle, pickletools, sys
                data = open(sys.argv[1], 'rb').read()
                # Shared string objects, because PickleWriter shares equal strings (CPython: identical ones).
                again = 'again'
                v = ['v%d' % i for i in range(2001)]
                expected = {
                    'ints': [0, 1, 255, 256, 65535, 65536, 2**31 - 1, -1, -2**31, 2**31, -2**31 - 1, 2**32, -2**39,
                             2**63 - 1, -2**63],
                    'floats': [0.0, -0.0, 1.5, 3e-4, 1e-9, 1.7976931348623157e308, float('inf')],
                    'strs': ['', 'a', 'ä€😀', 'x' * 300],
                    'misc': [None, True, False],
                    'tuples': [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)],
                    'longList': list(range(2001)),
                    'longDict': {i: v[i] for i in range(2001)},
                    'thousand': {i: v[i] for i in range(1000)},
                    'oneItem': {1: [2]},
                    'repeated': [again, again, collections.OrderedDict, collections.OrderedDict],
                    'orderedDicts': [collections.OrderedDict((i, v[i]) for i in range(2001)),
                                     collections.OrderedDict((i, v[i]) for i in range(1000)),
                                     collections.OrderedDict([(1, 2)]),
                                     collections.OrderedDict()],
                }
                # A copy: PickleWriter writes a repeated container again (CPython: a memo reference).
                expected['orderedDicts'][0]._metadata = dict(expected['thousand'])
                want = pickle.dumps(expected, protocol=2)
                if data != want:
                    pickletools.dis(data)
                    sys.exit('MISMATCH: pickles differ (ours above)')
                print('pickle bytes equal CPython', sys.version.split()[0])
                """, file.toString());
    }

    // ---------------------------------------------------------------- the golden G_1, copied

    @Test
    void copyOfGoldenG1EqualsTheOriginalInPytorch() throws IOException {
        Path original = GoldenFiles.dev("G_1.pth");
        Path copy = tmp.resolve("copy/G_1.pth");
        try (TorchCheckpoint ck = TorchCheckpoint.read(original)) {
            TorchCheckpointWriter.write(copy, ck.modelStateDict(), ck.iteration().orElseThrow(),
                    ck.learningRate().orElseThrow(), optimizerState(ck));
        }
        python(PRELUDE + """
                import collections, zipfile
                original, copy, resaved = sys.argv[1:4]
                a = torch.load(original, map_location='cpu')
                b = torch.load(copy, map_location='cpu')
                check(list(a) == list(b), 'top-level keys')
                check(a['iteration'] == b['iteration'] and a['learning_rate'] == b['learning_rate'], 'scalars')
                check(list(a['model']) == list(b['model']), 'model keys')
                for k, t in a['model'].items():
                    u = b['model'][k]
                    check(t.dtype == u.dtype and t.shape == u.shape and torch.equal(t, u), k)
                sa, sb = a['optimizer']['state'], b['optimizer']['state']
                check(list(sa) == list(sb), 'optimizer state keys')
                for i in sa:
                    check(list(sa[i]) == list(sb[i]), 'state %d keys' % i)
                    for k in sa[i]:
                        t, u = sa[i][k], sb[i][k]
                        check(t.dtype == u.dtype and t.shape == u.shape and torch.equal(t, u), 'state %d %s' % (i, k))
                check(a['optimizer']['param_groups'] == b['optimizer']['param_groups'], 'param_groups')
                same_weights_only_verdict(copy, original)

                # Byte for byte: torch re-saving the original, with the _metadata our writer can know
                # (modules that own tensors), must produce our data.pkl exactly.
                md = collections.OrderedDict()
                for k in a['model']:
                    parts = k.split('.')[:-1]
                    for n in range(len(parts) + 1):
                        md.setdefault('.'.join(parts[:n]), {'version': 1})
                check(list(md) == [m for m in a['model']._metadata if m in md], 'module order')
                a['model']._metadata = md
                torch.save(a, resaved)
                ours = zipfile.ZipFile(copy).read('G_1/data.pkl')
                theirs = zipfile.ZipFile(resaved).read('G_1/data.pkl')
                check(ours == theirs, 'data.pkl differs from torch.save of the same values')
                print('G_1 copy equals the original; data.pkl identical to torch', torch.__version__)
                """, original.toString(), copy.toString(), Files.createDirectories(tmp.resolve("resaved"))
                .resolve("G_1.pth").toString());
    }

    // ---------------------------------------------------------------- helpers

    /** How a resuming trainer reads AdamW state back: the optimizer graph as an OptimizerState. */
    private static OptimizerState optimizerState(TorchCheckpoint ck) {
        Map<?, ?> optimizer = assertInstanceOf(Map.class, ck.optimizer());
        Map<?, ?> group = assertInstanceOf(Map.class, ((List<?>) optimizer.get("param_groups")).getFirst());
        int paramCount = ((List<?>) group.get("params")).size();
        List<ParamState> states = new ArrayList<>(Collections.nCopies(paramCount, null));
        for (Map.Entry<?, ?> e : ((Map<?, ?>) optimizer.get("state")).entrySet()) {
            Map<?, ?> s = (Map<?, ?>) e.getValue();
            states.set(((Long) e.getKey()).intValue(), new ParamState(((RawTensor) s.get("step")).toDoubles()[0],
                    (RawTensor) s.get("exp_avg"), (RawTensor) s.get("exp_avg_sq")));
        }
        List<?> betas = (List<?>) group.get("betas");
        return new OptimizerState(states, (Double) group.get("lr"), (Double) betas.get(0), (Double) betas.get(1),
                (Double) group.get("eps"), (Double) group.get("weight_decay"), paramCount);
    }

    /** Runs a Python script under the system torch; fails the test when it exits non-zero. */
    private static void python(String script, String... args) throws IOException {
        requireTorch();
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(List.of(args));
        String output = run(command, 600);
        System.out.println(output.strip());
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // Reading to the end first: a full pipe would otherwise stall the child.
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("python did not finish in " + timeoutSeconds + " s:\n" + output);
            }
            if (p.exitValue() != 0) {
                Assertions.fail("python exited with " + p.exitValue() + ":\n" + output);
            }
            return output;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Boolean torchAvailable;

    /** Skips (fails on CI, which installs python3-torch) when the system Python has no torch. */
    private static synchronized void requireTorch() {
        if (torchAvailable == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                torchAvailable = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                torchAvailable = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        if (!torchAvailable) {
            String message = PYTHON + " cannot import torch (install python3-torch)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }
}
