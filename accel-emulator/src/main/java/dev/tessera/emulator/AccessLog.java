package dev.tessera.emulator;

import java.util.Arrays;

/**
 * Per buffer, the accesses the race check still compares against, in the order they happened: for
 * each, the stream and instruction index, the operand (its region) and whether it wrote. The
 * entries of all buffers live in one pool of primitive arrays, each buffer's a chain from its
 * oldest to its newest, and removed entries are reused, so a run records and drops accesses without
 * allocating. The run walks a chain with {@link #first} and {@link #next} and drops entries as it
 * goes with {@link #remove}. A buffer's chain (first entry, last entry, length, prune threshold) is
 * the first {@link #CHAIN} ints of the buffer's record in the run's per-buffer table, beside the
 * rest of what the run keeps about the buffer (one or two cache lines for all of it).
 */
final class AccessLog {
    static final int NONE = -1;
    /** Per buffer: first entry, last entry, length, prune threshold. */
    static final int CHAIN = 4;
    /** Per entry: stream × 2 + (1 if it wrote), instruction index, operand, next entry. */
    private static final int ENTRY = 4;

    private final int[] chains;
    private final int stride;
    private int[] entries;
    private int used;
    private int free = NONE;

    /** Writes an empty chain at {@code records[at .. at + CHAIN)}: no first or last entry, length 0, pruned when longer than 32. */
    static void writeEmpty(int[] records, int at) {
        records[at] = NONE;
        records[at + 1] = NONE;
        records[at + 2] = 0;
        records[at + 3] = 32;
    }

    /** Keeps buffer b's chain in {@code records[b * stride .. b * stride + CHAIN)}, which must start empty ({@link #writeEmpty}). */
    AccessLog(int[] records, int stride) {
        chains = records;
        this.stride = stride;
        entries = new int[256 * ENTRY];
    }

    int first(int buffer) {
        return chains[buffer * stride];
    }

    int next(int entry) {
        return entries[entry * ENTRY + 3];
    }

    int size(int buffer) {
        return chains[buffer * stride + 2];
    }

    /** The length above which the run prunes the buffer's accesses that every engine has passed. */
    int pruneAt(int buffer) {
        return chains[buffer * stride + 3];
    }

    void pruneAt(int buffer, int length) {
        chains[buffer * stride + 3] = length;
    }

    int stream(int entry) {
        return entries[entry * ENTRY] >>> 1;
    }

    boolean write(int entry) {
        return (entries[entry * ENTRY] & 1) != 0;
    }

    int index(int entry) {
        return entries[entry * ENTRY + 1];
    }

    int operand(int entry) {
        return entries[entry * ENTRY + 2];
    }

    /** Removes {@code entry}, which follows {@code prev} ({@link #NONE}: it is the first) in the buffer's chain. */
    void remove(int buffer, int prev, int entry) {
        int c = buffer * stride;
        int following = entries[entry * ENTRY + 3];
        if (prev == NONE) {
            chains[c] = following;
        } else {
            entries[prev * ENTRY + 3] = following;
        }
        if (chains[c + 1] == entry) {
            chains[c + 1] = prev;
        }
        chains[c + 2]--;
        entries[entry * ENTRY + 3] = free;
        free = entry;
    }

    void append(int buffer, int s, int i, int o, boolean w) {
        int n;
        if (free != NONE) {
            n = free;
            free = entries[n * ENTRY + 3];
        } else {
            if (used * ENTRY == entries.length) {
                entries = Arrays.copyOf(entries, 2 * entries.length);
            }
            n = used++;
        }
        int at = n * ENTRY;
        entries[at] = s << 1 | (w ? 1 : 0);
        entries[at + 1] = i;
        entries[at + 2] = o;
        entries[at + 3] = NONE;
        int c = buffer * stride;
        if (chains[c + 1] == NONE) {
            chains[c] = n;
        } else {
            entries[chains[c + 1] * ENTRY + 3] = n;
        }
        chains[c + 1] = n;
        chains[c + 2]++;
    }

    /** Makes {@code entry} another access in its place in its chain: what removing it and appending the access does when it is the chain's last entry. */
    void replace(int entry, int s, int i, int o, boolean w) {
        int at = entry * ENTRY;
        entries[at] = s << 1 | (w ? 1 : 0);
        entries[at + 1] = i;
        entries[at + 2] = o;
    }

    /** Drops all the buffer's accesses: its whole chain goes to the free entries at once. */
    void clear(int buffer) {
        int c = buffer * stride;
        if (chains[c] != NONE) {
            entries[chains[c + 1] * ENTRY + 3] = free;
            free = chains[c];
            chains[c] = NONE;
            chains[c + 1] = NONE;
            chains[c + 2] = 0;
        }
    }
}
