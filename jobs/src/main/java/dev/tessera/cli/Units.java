package dev.tessera.cli;

import java.util.Locale;

/** Figures for tables: counts in k/M/G (powers of 1000), bytes in KiB/MiB/GiB (powers of 1024). */
final class Units {
    private Units() {}

    /** {@code 25_557_032 → "25.56 M"}, {@code 950 → "950"}. */
    static String count(long n) {
        if (Math.abs(n) < 1_000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T", "P"};
        double v = n;
        int i = -1;
        while (Math.abs(v) >= 1_000 && i < units.length - 1) {
            v /= 1_000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[i]);
    }

    /** {@code 3_211_264 → "3.06 MiB"}, {@code 512 → "512 B"}. */
    static String bytes(long n) {
        if (Math.abs(n) < 1_024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int i = -1;
        while (Math.abs(v) >= 1_024 && i < units.length - 1) {
            v /= 1_024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[i]);
    }
}
