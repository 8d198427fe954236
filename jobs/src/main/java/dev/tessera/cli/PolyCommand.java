package dev.tessera.cli;

import dev.tessera.polyhedral.calc.PolyCalculator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code tessera poly}: the Presburger calculator. Reads lines {@code OP<TAB>ARG…} (the isl-oracle
 * protocol) on stdin and prints one answer per line on stdout; invalid lines answer
 * {@code error: …} and the calculator goes on.
 */
@Command(
        name = "poly",
        mixinStandardHelpOptions = true,
        description = {
            "Exact Presburger calculator: reads 'OP<TAB>ARG...' lines on stdin (isl syntax), prints one answer per line.",
            "Example: printf 'card\\t{ [i] : 0 <= i < 10 }\\n' | tessera poly"
        })
public final class PolyCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        PolyCalculator.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintStream(System.out, false, StandardCharsets.UTF_8));
        return 0;
    }
}
