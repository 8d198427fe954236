package dev.tessera.emulator;

import java.util.Arrays;

/**
 * Per buffer, the accesses the race check still compares against, in the order they happened: for
 * each, the stream and instruction index, the operand (its region) and whether it wrote. The
 * entries of all buffers live in one pool of primitive arrays, each buffer's a chain from its
 * oldest to its newest, and removed entries are reused, so a run records and drops accesses without
 * allocating. The run walks a chain with {@link #first} and {@link #next} and drops entries as it
 * goes with {@link #remove}.
 */
final class AccessLog {
    static final int NONE = -1;

    private final int[] head;
    private final int[] tail;
    private final int[] size;
    /** Per buffer, the length above which the run prunes accesses every engine has passed. */
    final int[] pruneAt;
    private int[] next;
    private int[] stream;
    private int[] index;
    private int[] operand;
    private boolean[] write;
    private int used;
    private int free = NONE;

    AccessLog(int buffers) {
        head = new int[buffers];
        tail = new int[buffers];
        size = new int[buffers];
        pruneAt = new int[buffers];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        Arrays.fill(pruneAt, 32);
        next = new int[256];
        stream = new int[256];
        index = new int[256];
        operand = new int[256];
        write = new boolean[256];
    }

    int first(int buffer) {
        return head[buffer];
    }

    int next(int entry) {
        return next[entry];
    }

    int size(int buffer) {
        return size[buffer];
    }

    int stream(int entry) {
        return stream[entry];
    }

    int index(int entry) {
        return index[entry];
    }

    int operand(int entry) {
        return operand[entry];
    }

    boolean write(int entry) {
        return write[entry];
    }

    /** Removes {@code entry}, which follows {@code prev} ({@link #NONE}: it is the first) in the buffer's chain. */
    void remove(int buffer, int prev, int entry) {
        int following = next[entry];
        if (prev == NONE) {
            head[buffer] = following;
        } else {
            next[prev] = following;
        }
        if (tail[buffer] == entry) {
            tail[buffer] = prev;
        }
        size[buffer]--;
        next[entry] = free;
        free = entry;
    }

    void append(int buffer, int s, int i, int o, boolean w) {
        int n;
        if (free != NONE) {
            n = free;
            free = next[n];
        } else {
            if (used == next.length) {
                int capacity = 2 * used;
                next = Arrays.copyOf(next, capacity);
                stream = Arrays.copyOf(stream, capacity);
                index = Arrays.copyOf(index, capacity);
                operand = Arrays.copyOf(operand, capacity);
                write = Arrays.copyOf(write, capacity);
            }
            n = used++;
        }
        stream[n] = s;
        index[n] = i;
        operand[n] = o;
        write[n] = w;
        next[n] = NONE;
        if (tail[buffer] == NONE) {
            head[buffer] = n;
        } else {
            next[tail[buffer]] = n;
        }
        tail[buffer] = n;
        size[buffer]++;
    }

    void clear(int buffer) {
        while (head[buffer] != NONE) {
            remove(buffer, NONE, head[buffer]);
        }
    }
}
