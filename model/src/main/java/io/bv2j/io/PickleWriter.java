package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Serializes a small object graph as a protocol-2 pickle, opcode for opcode as CPython's
 * {@code pickle.Pickler} would for the equivalent Python objects, so a {@code torch.save} file we
 * write is indistinguishable from one torch writes (the golden-checkpoint test compares bytes).
 *
 * <p>Values: null, Boolean, Integer/Long, Double, String, {@link List} (a list), {@link Map} (a dict,
 * in iteration order), {@link PickleTuple}, {@link Global}, {@link Reduce} and {@link PersistentId}.
 *
 * <p>Memo: like CPython, every string, non-empty tuple, list, dict, global and reduce result is
 * memoized (BINPUT), and strings and globals that recur are written as BINGET. CPython recalls by
 * object identity, this writer recalls strings by value and never recalls containers (one that
 * recurs is written again, so it unpickles as a copy). The bytes therefore equal CPython's exactly
 * when equal strings are the same Python object and no container is shared, as in a state dict.
 */
final class PickleWriter {

    /** A module-level Python name, e.g. {@code collections.OrderedDict}; written as GLOBAL. */
    record Global(String module, String name) {
    }

    /**
     * {@code callable(*args)} (REDUCE), then {@code dictItems} set on the result (SETITEMS) and
     * {@code state} applied to it (BUILD), the parts of CPython's {@code save_reduce} this needs.
     *
     * @param dictItems entries of the created dict-like object, or null
     * @param state the object's {@code __setstate__} argument, or null for none
     */
    record Reduce(Global callable, PickleTuple args, Map<?, ?> dictItems, Object state) {
        Reduce(Global callable, PickleTuple args) {
            this(callable, args, null, null);
        }
    }

    /** A reference resolved by the unpickler's {@code persistent_load} (BINPERSID); torch uses it for storages. */
    record PersistentId(Object id) {
    }

    /** CPython's batch size for SETITEMS/APPENDS; matching it keeps the bytes identical. */
    private static final int BATCH = 1000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> memo = new HashMap<>();
    private int memoSize;

    private PickleWriter() {
    }

    /** The complete pickle of {@code root}: PROTO 2, the value, STOP. */
    static byte[] dumps(Object root) {
        PickleWriter w = new PickleWriter();
        w.out.write(0x80);
        w.out.write(2);
        w.save(root);
        w.out.write('.');
        return w.out.toByteArray();
    }

    private void save(Object value) {
        switch (value) {
            case null -> out.write('N');
            case Boolean b -> out.write(b ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
            case Integer i -> saveInt(i);
            case Long l -> saveInt(l);
            case Double d -> saveFloat(d);
            case String s -> saveString(s);
            case PickleTuple t -> saveTuple(t);
            case List<?> list -> saveList(list);
            case Map<?, ?> dict -> saveDict(dict);
            case Global g -> saveGlobal(g);
            case Reduce r -> saveReduce(r);
            case PersistentId p -> {
                save(p.id());
                out.write('Q'); // BINPERSID
            }
            default -> throw new Bv2jException("cannot pickle " + value.getClass().getName());
        }
    }

    private void saveInt(long v) {
        if (v >= 0 && v < 0x100) {
            out.write('K'); // BININT1
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write('M'); // BININT2
            writeLe(v, 2);
        } else if (v == (int) v) {
            out.write('J'); // BININT
            writeLe(v, 4);
        } else {
            // LONG1: the shortest little-endian two's complement, as pickle.encode_long makes it.
            byte[] bigEndian = BigInteger.valueOf(v).toByteArray();
            out.write(0x8a);
            out.write(bigEndian.length);
            for (int i = bigEndian.length - 1; i >= 0; i--) {
                out.write(bigEndian[i]);
            }
        }
    }

    private void saveFloat(double d) {
        out.write('G'); // BINFLOAT: IEEE double, big-endian
        long bits = Double.doubleToRawLongBits(d);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
    }

    private void saveString(String s) {
        if (recall(s)) {
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X'); // BINUNICODE (protocol 2 has no short form)
        writeLe(utf8.length, 4);
        out.writeBytes(utf8);
        memoize(s);
    }

    private void saveTuple(PickleTuple t) {
        if (t.isEmpty()) {
            out.write(')'); // EMPTY_TUPLE is not memoized
            return;
        }
        boolean small = t.size() <= 3;
        if (!small) {
            out.write('(');
        }
        for (Object item : t) {
            save(item);
        }
        out.write(small ? 0x84 + t.size() : 't'); // TUPLE1..3 or TUPLE
        memoize(null);
    }

    /** CPython's {@code batch_list_exact}: APPEND for a one-item list, else MARK…APPENDS batches. */
    private void saveList(List<?> list) {
        out.write(']'); // EMPTY_LIST
        memoize(null);
        if (list.size() == 1) {
            save(list.getFirst());
            out.write('a'); // APPEND
            return;
        }
        for (int from = 0; from < list.size(); from += BATCH) {
            out.write('(');
            list.subList(from, Math.min(list.size(), from + BATCH)).forEach(this::save);
            out.write('e'); // APPENDS
        }
    }

    /**
     * CPython's {@code batch_dict_exact}: SETITEM for a one-entry dict, else MARK…SETITEMS batches,
     * including its quirk of an empty last batch when the size is a multiple of the batch size.
     */
    private void saveDict(Map<?, ?> dict) {
        out.write('}'); // EMPTY_DICT
        memoize(null);
        if (dict.isEmpty()) {
            return;
        }
        if (dict.size() == 1) {
            Map.Entry<?, ?> only = dict.entrySet().iterator().next();
            save(only.getKey());
            save(only.getValue());
            out.write('s'); // SETITEM
            return;
        }
        Iterator<? extends Map.Entry<?, ?>> it = dict.entrySet().iterator();
        int inBatch;
        do {
            out.write('(');
            for (inBatch = 0; inBatch < BATCH && it.hasNext(); inBatch++) {
                Map.Entry<?, ?> e = it.next();
                save(e.getKey());
                save(e.getValue());
            }
            out.write('u'); // SETITEMS
        } while (inBatch == BATCH);
    }

    /**
     * CPython's {@code batch_setitems} over a reduce's item iterator (how an OrderedDict's entries
     * are written): MARK…SETITEMS batches, a lone last entry as SETITEM, no empty batch.
     */
    private void saveDictItems(Map<?, ?> items) {
        Iterator<? extends Map.Entry<?, ?>> it = items.entrySet().iterator();
        List<Map.Entry<?, ?>> batch = new ArrayList<>(BATCH);
        while (it.hasNext()) {
            batch.clear();
            while (it.hasNext() && batch.size() < BATCH) {
                batch.add(it.next());
            }
            if (batch.size() == 1) {
                save(batch.getFirst().getKey());
                save(batch.getFirst().getValue());
                out.write('s'); // SETITEM
            } else {
                out.write('(');
                for (Map.Entry<?, ?> e : batch) {
                    save(e.getKey());
                    save(e.getValue());
                }
                out.write('u'); // SETITEMS
            }
        }
    }

    private void saveGlobal(Global g) {
        if (recall(g)) {
            return;
        }
        out.write('c');
        out.writeBytes((g.module() + "\n" + g.name() + "\n").getBytes(StandardCharsets.UTF_8));
        memoize(g);
    }

    private void saveReduce(Reduce r) {
        save(r.callable());
        save(r.args());
        out.write('R');
        memoize(null);
        if (r.dictItems() != null) {
            saveDictItems(r.dictItems());
        }
        if (r.state() != null) {
            save(r.state());
            out.write('b'); // BUILD
        }
    }

    /** Writes BINGET when {@code key} was memoized before; returns whether it was. */
    private boolean recall(Object key) {
        Integer index = memo.get(key);
        if (index == null) {
            return false;
        }
        if (index < 0x100) {
            out.write('h'); // BINGET
            out.write(index);
        } else {
            out.write('j'); // LONG_BINGET
            writeLe(index, 4);
        }
        return true;
    }

    /** Stores the value just written at the next memo index; {@code key} null: never recalled. */
    private void memoize(Object key) {
        int index = memoSize++;
        if (key != null) {
            memo.put(key, index);
        }
        if (index < 0x100) {
            out.write('q'); // BINPUT
            out.write(index);
        } else {
            out.write('r'); // LONG_BINPUT
            writeLe(index, 4);
        }
    }

    private void writeLe(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
