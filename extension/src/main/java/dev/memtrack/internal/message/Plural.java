package dev.memtrack.internal.message;

/** "1 allocation", "3 allocations": the one English rule the messages need. */
final class Plural {

    private Plural() {
    }

    static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
