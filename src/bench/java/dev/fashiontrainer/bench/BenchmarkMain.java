package dev.fashiontrainer.bench;

import dev.fashiontrainer.cli.ErrorHandling;
import picocli.CommandLine;

/** Runs one of the benchmark's commands with the trainer's error handling (one line, the same exit codes). */
final class BenchmarkMain {
    private BenchmarkMain() {
    }

    /**
     * Parses {@code args} for {@code command}, runs it and exits with its code.
     *
     * @param command an annotated picocli command
     * @param args its arguments
     */
    static void exit(Object command, String[] args) {
        System.exit(ErrorHandling.installOn(new CommandLine(command)).execute(args));
    }
}
