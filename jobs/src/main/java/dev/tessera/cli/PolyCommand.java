package dev.tessera.cli;

import dev.tessera.polyhedral.calc.PolyCalculator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tessera poly}: the Presburger calculator. Reads lines {@code OP<TAB>ARG…} (the isl-oracle
 * protocol) on stdin and prints one answer per line on stdout; a bad line answers
 * {@code error: …} and the calculator goes on with the next one.
 */
@Command(
        name = "poly",
        mixinStandardHelpOptions = true,
        description = {
            "Exact Presburger calculator: reads 'OP<TAB>ARG...' lines on stdin (isl syntax), prints one answer per line.",
            "Example: printf 'card\\t{ [i] : 0 <= i < 10 }\\n' | tessera poly"
        })
public final class PolyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PolyCalculator.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), spec.commandLine().getOut());
        return 0;
    }
}
