package dev.tessera.emulator.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link ProgramText#parse} against the assembler it replaced ({@link ReferenceProgramText}): on the
 * example programs with random edits — characters and tokens deleted, doubled, swapped for others
 * (digits, signs, punctuation, letters, non-ASCII letters and digits, comments, whitespace) — both
 * must give an equal program, or fail with the same exception and message.
 */
class ParserEquivalenceProperties {
    private static final String[] PIECES = {"0", "7", "-", "+", "-1", "99999999999999999999", "[", "]", ",", ":", "@", "..",
        "<-", "+=", ">=", "=", "*", ".", "x", "t", "_a", "é", "٣", "#", " ", "\t", "\n", "1.5", "1e3", "NaN", "-Infinity", "p0",
        "dma", "live", "scale", "bias", "axes", "fp32", "bf16", "input", "sem", "stream", "wait", "signal", "tensor"};

    @Property(tries = 2000)
    void editedExamplesParseAlikeOrFailAlike(@ForAll long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<Path> files = ProgramTextTest.examples();
        String text = Files.readString(files.get(r.nextInt(files.size())));
        int edits = r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            text = edit(r, text);
        }
        Object expected = outcome(text, true);
        Object actual = outcome(text, false);
        Statistics.label("outcome").collect(expected instanceof MachineProgram ? "parsed"
                : expected.toString().replaceAll("line [0-9]+: ", "").replaceAll("'[^']*'.*", "").replaceAll("[0-9]+", "N"));
        assertThat(actual).isEqualTo(expected);
    }

    private static Object outcome(String text, boolean reference) {
        try {
            return reference ? ReferenceProgramText.parse(text) : ProgramText.parse(text);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String edit(SplittableRandom r, String text) {
        int at = r.nextInt(text.length() + 1);
        switch (r.nextInt(6)) {
            case 0: {
                int length = 1 + r.nextInt(3);
                return text.substring(0, at) + text.substring(Math.min(text.length(), at + length));
            }
            case 1:
                return text.substring(0, at) + PIECES[r.nextInt(PIECES.length)] + text.substring(at);
            case 2: {
                int end = Math.min(text.length(), at + 1 + r.nextInt(2));
                return text.substring(0, at) + PIECES[r.nextInt(PIECES.length)] + text.substring(end);
            }
            case 3: {
                // A whole token doubled or dropped: the words and numbers of one line.
                List<int[]> tokens = new ArrayList<>();
                for (int i = 0; i < text.length(); i++) {
                    if (!Character.isWhitespace(text.charAt(i)) && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                        int j = i;
                        while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
                            j++;
                        }
                        tokens.add(new int[] {i, j});
                    }
                }
                int[] t = tokens.get(r.nextInt(tokens.size()));
                return r.nextBoolean() ? text.substring(0, t[0]) + text.substring(t[1])
                        : text.substring(0, t[1]) + " " + text.substring(t[0], t[1]) + text.substring(t[1]);
            }
            case 4: {
                // A number replaced by a piece.
                List<int[]> numbers = new ArrayList<>();
                for (int i = 0; i < text.length(); i++) {
                    if (Character.isDigit(text.charAt(i)) && (i == 0 || !Character.isDigit(text.charAt(i - 1)))) {
                        int j = i;
                        while (j < text.length() && Character.isDigit(text.charAt(j))) {
                            j++;
                        }
                        numbers.add(new int[] {i, j});
                    }
                }
                int[] n = numbers.get(r.nextInt(numbers.size()));
                return text.substring(0, n[0]) + PIECES[r.nextInt(PIECES.length)] + text.substring(n[1]);
            }
            default:
                return text;
        }
    }
}
