package io.bv2j.io;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unpickled Python tuple: an immutable list. It has its own type because the unpickler must
 * tell tuples from lists (REDUCE arguments are tuples; only tuples can be dict keys).
 */
final class PickleTuple extends AbstractList<Object> implements RandomAccess {

    static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

    private final Object[] items;

    PickleTuple(Object[] items) {
        this.items = items.clone();
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
