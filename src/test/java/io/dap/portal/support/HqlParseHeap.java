package io.dap.portal.support;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.hibernate.grammars.hql.HqlParser;
import org.hibernate.query.hql.internal.HqlParseTreeBuilder;

/**
 * Whether Hibernate's HQL parser reads a query within a given heap, the first time, as it does on
 * a query's first use in the portal. Some shapes (parentheses inside parentheses) make the parser
 * hold tens of megabytes while it learns them, which once ran the 128 MB production heap out when
 * two requests did so together. Measured in a fresh JVM with that heap: deterministic, not timed.
 */
public final class HqlParseHeap {

    private HqlParseHeap() {
    }

    /** True when a fresh JVM with {@code -Xmx<megabytes>m} parses every query without running out of heap. */
    public static boolean parsesWithin(int megabytes, String... queries) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx" + megabytes + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HqlParseHeap.class.getName()));
        command.addAll(List.of(queries));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The parse did not end");
        }
        if (process.exitValue() != 0 && !output.contains("OutOfMemoryError")) {
            throw new IllegalStateException("The parse failed otherwise:\n" + output);
        }
        return process.exitValue() == 0;
    }

    /** Parses each argument as Hibernate does: the fast prediction first, the full one if that fails. */
    public static void main(String[] queries) {
        for (String hql : queries) {
            HqlParser parser = HqlParseTreeBuilder.INSTANCE.buildHqlParser(hql,
                    HqlParseTreeBuilder.INSTANCE.buildHqlLexer(hql));
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.removeErrorListeners();
            parser.setErrorHandler(new BailErrorStrategy());
            try {
                parser.statement();
            } catch (ParseCancellationException e) {
                parser.reset();
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                parser.setErrorHandler(new DefaultErrorStrategy());
                parser.statement();
                if (parser.getNumberOfSyntaxErrors() > 0) {
                    System.out.println("Not HQL: " + hql);
                    System.exit(2);
                }
            }
        }
    }
}
