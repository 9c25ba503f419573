package dev.memtrack.internal.attribution;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Object to scope id, by identity, without keeping the objects alive: a forked task or a virtual
 * thread that is dropped unrun must not be pinned by memtrack. Thread-safe; lock-striped by
 * identity hash so that pool workers registering and running tasks rarely meet on one lock.
 *
 * <p>Identity, not {@code equals}: the keys are the JDK's and the application's task objects,
 * and a user {@code hashCode} must never run inside an executor's internals.
 *
 * <p>Nothing that can block runs while a stripe's monitor is held (the reference queue is polled
 * before taking it): on JDK 24+ a virtual thread that parked inside the monitor would unmount
 * holding it, and a carrier entering the mount hook would then block on it as a platform thread.
 */
final class WeakScopeMap {

    private static final int STRIPES = 32;

    private final Stripe[] stripes = new Stripe[STRIPES];

    WeakScopeMap() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** The scope of {@code key}, 0 if none. */
    long get(Object key) {
        int hash = hash(key);
        return stripe(hash).get(key, hash, false);
    }

    /** Removes and returns the scope of {@code key}, 0 if none. */
    long remove(Object key) {
        int hash = hash(key);
        return stripe(hash).get(key, hash, true);
    }

    /** Maps {@code key} to {@code scope}; 0 removes the mapping. */
    void put(Object key, long scope) {
        int hash = hash(key);
        stripe(hash).put(key, hash, scope, true);
    }

    /** Maps {@code key} to {@code scope} unless it is mapped already: the first registration wins. */
    void putIfAbsent(Object key, long scope) {
        int hash = hash(key);
        stripe(hash).put(key, hash, scope, false);
    }

    /** Live mappings (cleared keys are expunged first); for tests and diagnostics. */
    int size() {
        int size = 0;
        for (Stripe stripe : stripes) {
            size += stripe.size();
        }
        return size;
    }

    private static int hash(Object key) {
        int h = System.identityHashCode(key);
        return h ^ (h >>> 16);
    }

    private Stripe stripe(int hash) {
        return stripes[hash & (STRIPES - 1)];
    }

    private static final class Entry extends WeakReference<Object> {
        final int hash;
        long scope;
        Entry next;

        Entry(Object key, int hash, long scope, Entry next, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.scope = scope;
            this.next = next;
        }
    }

    /** A chained hash table; the low bits of the hash chose the stripe, the next ones the bucket. */
    private static final class Stripe {
        private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
        private Entry[] table = new Entry[16];
        private int size;

        long get(Object key, int hash, boolean remove) {
            expunge();
            return find(key, hash, remove);
        }

        private synchronized long find(Object key, int hash, boolean remove) {
            int index = index(hash, table.length);
            Entry previous = null;
            for (Entry e = table[index]; e != null; previous = e, e = e.next) {
                if (e.hash == hash && e.get() == key) {
                    if (remove) {
                        unlink(index, previous, e);
                    }
                    return e.scope;
                }
            }
            return 0;
        }

        void put(Object key, int hash, long scope, boolean replace) {
            expunge();
            store(key, hash, scope, replace);
        }

        private synchronized void store(Object key, int hash, long scope, boolean replace) {
            int index = index(hash, table.length);
            Entry previous = null;
            for (Entry e = table[index]; e != null; previous = e, e = e.next) {
                if (e.hash == hash && e.get() == key) {
                    if (scope == 0 && replace) {
                        unlink(index, previous, e);
                    } else if (replace) {
                        e.scope = scope;
                    }
                    return;
                }
            }
            if (scope == 0) {
                return;
            }
            table[index] = new Entry(key, hash, scope, table[index], cleared);
            if (++size > table.length * 3 / 4) {
                resize();
            }
        }

        int size() {
            expunge();
            synchronized (this) {
                return size;
            }
        }

        private static int index(int hash, int length) {
            return (hash >>> 5) & (length - 1);
        }

        private void unlink(int index, Entry previous, Entry e) {
            if (previous == null) {
                table[index] = e.next;
            } else {
                previous.next = e.next;
            }
            e.clear();
            size--;
        }

        /** Drops entries whose key was collected; the queue is polled outside the monitor. */
        private void expunge() {
            for (Object ref; (ref = cleared.poll()) != null; ) {
                drop((Entry) ref);
            }
        }

        /** Unlinks {@code dead} if it is still linked (a removed entry may be enqueued later). */
        private synchronized void drop(Entry dead) {
            int index = index(dead.hash, table.length);
            Entry previous = null;
            for (Entry e = table[index]; e != null; previous = e, e = e.next) {
                if (e == dead) {
                    unlink(index, previous, e);
                    return;
                }
            }
        }

        private void resize() {
            Entry[] old = table;
            Entry[] grown = new Entry[old.length * 2];
            for (Entry head : old) {
                for (Entry e = head; e != null; ) {
                    Entry next = e.next;
                    int index = index(e.hash, grown.length);
                    e.next = grown[index];
                    grown[index] = e;
                    e = next;
                }
            }
            table = grown;
        }
    }
}
