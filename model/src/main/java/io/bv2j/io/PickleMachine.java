package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine that only builds data. Python's unpickler imports and calls whatever a
 * file names, which makes loading an untrusted checkpoint equivalent to running it; this one never
 * resolves a name itself. GLOBAL, REDUCE, NEWOBJ, BUILD and BINPERSID are delegated to {@link Hooks},
 * which implement an allow-list, and every other opcode only moves data between the stack, the
 * memo and containers.
 *
 * <p>Results: dicts are {@code LinkedHashMap<Object,Object>} (keys as pickled: String, Long, ...),
 * lists are {@code ArrayList}, tuples are {@link PickleTuple}, and scalars are Long, Double, String,
 * Boolean or null. Sizes are bounded so a hostile file cannot exhaust memory.
 */
final class PickleMachine {

    /** What the caller allows in place of Python's imports and calls. Each throws Bv2jException to refuse. */
    interface Hooks {
        /** A token standing for {@code module.name}. */
        Object global(String module, String name);

        /** The result of calling {@code callable(*args)} (REDUCE). */
        Object reduce(Object callable, PickleTuple args);

        /** The result of {@code cls.__new__(cls, *args)} (NEWOBJ). */
        Object newObject(Object cls, PickleTuple args);

        /** Applies {@code __setstate__(state)} to {@code target} (BUILD). */
        void build(Object target, Object state);

        /** The object a persistent id stands for (BINPERSID). */
        Object persistentLoad(Object pid);
    }

    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 21;
    /**
     * Containers, container entries and hook results together; a real checkpoint needs about nine per
     * tensor (G_1.pth, 4 624 tensors with its optimizer state, about 40 000 in all).
     */
    static final int MAX_OBJECTS = 1 << 21;
    private static final int MAX_GLOBAL_LINE = 256;
    private static final int HIGHEST_PROTOCOL = 5;

    private final ByteBuffer in;
    private final String source;
    private final Hooks hooks;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    /** Lists created by EMPTY_LIST: the only objects APPEND may mutate (tuples are immutable). */
    private final Set<Object> lists = Collections.newSetFromMap(new IdentityHashMap<>());
    private int objects;
    private int opcodeStart;

    /**
     * @param source names the pickle in error messages, e.g. "G_0.pth: data.pkl"
     */
    PickleMachine(byte[] pickle, String source, Hooks hooks) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
        this.hooks = hooks;
    }

    /** Runs the pickle to its STOP opcode and returns the object it built. */
    Object load() {
        while (true) {
            opcodeStart = in.position();
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int version = u8();
                    if (version > HIGHEST_PROTOCOL) {
                        throw corrupt("unsupported pickle protocol " + version);
                    }
                }
                case 0x95 -> i64(); // FRAME: a read-ahead hint; the frame's bytes follow inline
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> { // MARK
                    if (marks.size() >= MAX_STACK) {
                        throw corrupt("too many nested MARKs");
                    }
                    marks.add(stack.size());
                }
                case '}' -> push(counted(new LinkedHashMap<>()));
                case ']' -> {
                    List<Object> list = counted(new ArrayList<>());
                    lists.add(list);
                    push(list);
                }
                case ')' -> push(PickleTuple.EMPTY);
                case 't' -> push(counted(new PickleTuple(popMark().toArray())));
                case 0x85 -> push(counted(new PickleTuple(popN(1))));
                case 0x86 -> push(counted(new PickleTuple(popN(2))));
                case 0x87 -> push(counted(new PickleTuple(popN(3))));
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(peek()).add(counted(item));
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    List<Object> list = list(peek());
                    for (Object item : items) {
                        list.add(counted(item));
                    }
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    put(dict(peek()), key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw corrupt("SETITEMS with an odd number of items");
                    }
                    Map<Object, Object> dict = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) {
                        put(dict, items.get(i), items.get(i + 1));
                    }
                }
                case 'q' -> memoize(u8());
                case 'r' -> memoize(u32());
                case 0x94 -> memoize(memo.size()); // MEMOIZE
                case 'h' -> push(recall(u8()));
                case 'j' -> push(recall(u32()));
                case 'c' -> { // GLOBAL
                    String module = line();
                    String name = line();
                    push(hooks.global(module, name));
                }
                case 'R' -> { // REDUCE
                    PickleTuple args = tuple(pop(), "REDUCE arguments");
                    Object callable = pop();
                    push(counted(hooks.reduce(callable, args)));
                }
                case 0x81 -> { // NEWOBJ
                    PickleTuple args = tuple(pop(), "NEWOBJ arguments");
                    Object cls = pop();
                    push(counted(hooks.newObject(cls, args)));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    hooks.build(peek(), state);
                }
                case 'Q' -> push(counted(hooks.persistentLoad(pop()))); // BINPERSID
                case 'J' -> push((long) i32());
                case 'K' -> push((long) u8());
                case 'M' -> push((long) u16());
                case 0x8a -> push(littleEndianLong(u8())); // LONG1
                case 0x8b -> push(littleEndianLong(u32())); // LONG4
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(i64()))); // BINFLOAT is big-endian
                case 'X' -> push(utf8(u32()));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(i64()));
                case 'T' -> push(latin1(i32())); // BINSTRING: signed length
                case 'U' -> push(latin1(u8()));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                default -> throw corrupt(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    // ---------------------------------------------------------------- operands

    private int u8() {
        need(1);
        return in.get() & 0xFF;
    }

    private int u16() {
        need(2);
        return in.getShort() & 0xFFFF;
    }

    private int i32() {
        need(4);
        return in.getInt();
    }

    private long u32() {
        return i32() & 0xFFFFFFFFL;
    }

    private long i64() {
        need(8);
        return in.getLong();
    }

    /** Guards every multi-byte read; a truncated pickle then fails with a clear message. */
    private void need(long bytes) {
        if (bytes > in.remaining()) {
            throw corrupt("truncated pickle (needs " + bytes + " more bytes, " + in.remaining() + " left)");
        }
    }

    private long littleEndianLong(long n) {
        if (n > 8) {
            throw corrupt("integer of " + n + " bytes is too large");
        }
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (in.get() & 0xFFL) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v |= -1L << (8 * n); // sign-extend two's complement
        }
        return v;
    }

    private String utf8(long length) {
        return InputFiles.decodeUtf8(bytes(length), source + " string at byte " + opcodeStart);
    }

    private String latin1(long length) {
        if (length < 0) {
            throw corrupt("negative string length");
        }
        return new String(bytes(length), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(long length) {
        need(length);
        byte[] b = new byte[(int) length];
        in.get(b);
        return b;
    }

    /** A text line (GLOBAL's operands), bounded so a missing newline cannot scan the whole file. */
    private String line() {
        int start = in.position();
        int limit = Math.min(in.limit(), start + MAX_GLOBAL_LINE);
        for (int i = start; i < limit; i++) {
            if (in.get(i) == '\n') {
                byte[] b = new byte[i - start];
                in.get(b);
                in.get(); // the newline
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw corrupt("GLOBAL name without a newline in its first " + MAX_GLOBAL_LINE + " bytes");
    }

    // ---------------------------------------------------------------- stack, memo, containers

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw corrupt("stack deeper than " + MAX_STACK);
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && stack.size() <= marks.getLast())) {
            throw corrupt("stack underflow");
        }
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.isEmpty() || (!marks.isEmpty() && stack.size() <= marks.getLast())) {
            throw corrupt("stack underflow");
        }
        return stack.getLast();
    }

    private Object[] popN(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return items;
    }

    /** Pops everything above the topmost MARK, and the mark. */
    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw corrupt("no MARK to pop to");
        }
        int mark = marks.removeLast();
        List<Object> top = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private void memoize(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey((int) index)) {
            throw corrupt("memo larger than " + MAX_MEMO + " entries");
        }
        memo.put((int) index, peek());
    }

    private Object recall(long index) {
        Object o = memo.get((int) index);
        if (o == null && !memo.containsKey((int) index)) {
            throw corrupt("memo entry " + index + " used before it was set");
        }
        return o;
    }

    private <T> T counted(T object) {
        if (++objects > MAX_OBJECTS) {
            throw corrupt("more than " + MAX_OBJECTS + " objects");
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object target) {
        if (!lists.contains(target)) {
            throw corrupt("APPEND to " + typeName(target) + ", expected a list");
        }
        return (List<Object>) target;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object target) {
        if (!(target instanceof LinkedHashMap<?, ?>)) {
            throw corrupt("SETITEM on " + typeName(target) + ", expected a dict");
        }
        return (Map<Object, Object>) target;
    }

    private PickleTuple tuple(Object o, String what) {
        if (!(o instanceof PickleTuple t)) {
            throw corrupt(what + " are " + typeName(o) + ", expected a tuple");
        }
        return t;
    }

    /**
     * Only immutable scalars and flat tuples of them may be keys: Python refuses unhashable keys, and
     * allowing nested containers would let a hostile file make hashing recurse without bound.
     */
    private void put(Map<Object, Object> dict, Object key, Object value) {
        if (!isScalar(key) && !(key instanceof PickleTuple t && t.stream().allMatch(PickleMachine::isScalar))) {
            throw corrupt("dict key of type " + typeName(key) + " is not supported");
        }
        dict.put(key, counted(value));
    }

    private static boolean isScalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean;
    }

    static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case PickleTuple _ -> "a tuple";
            case List<?> _ -> "a list";
            case Map<?, ?> _ -> "a dict";
            case String _ -> "a str";
            case Long _ -> "an int";
            case Double _ -> "a float";
            case Boolean _ -> "a bool";
            case RawTensor _ -> "a tensor";
            default -> o.toString();
        };
    }

    private Bv2jException corrupt(String problem) {
        return new Bv2jException(source + " is corrupt or unsupported at byte " + opcodeStart + ": " + problem);
    }
}
