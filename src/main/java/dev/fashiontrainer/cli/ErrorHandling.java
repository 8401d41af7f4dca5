package dev.fashiontrainer.cli;

import java.io.PrintWriter;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;
import picocli.CommandLine;

/**
 * How every command of the trainer ends when it fails: one line on standard error, {@code error: } and what to do,
 * and the exit code of the failure ({@link TrainerException#exitCode()}, {@link ExitCodes#USAGE} for a command
 * line picocli cannot parse, or {@link ExitCodes#FAILURE} for anything unexpected, whose stack trace
 * {@code FASHION_TRAINER_DEBUG=1} shows).
 */
public final class ErrorHandling implements CommandLine.IExecutionExceptionHandler,
        CommandLine.IParameterExceptionHandler, CommandLine.IExitCodeExceptionMapper {
    private static final ErrorHandling INSTANCE = new ErrorHandling();

    private ErrorHandling() {
    }

    /**
     * Installs the handling on {@code commandLine} and every subcommand added so far.
     *
     * @param commandLine a parser whose subcommands are all added
     * @return {@code commandLine}
     */
    public static CommandLine installOn(CommandLine commandLine) {
        return commandLine.setExecutionExceptionHandler(INSTANCE).setParameterExceptionHandler(INSTANCE)
                .setExitCodeExceptionMapper(INSTANCE);
    }

    /**
     * A command line that does not parse (an unknown flag, a value of the wrong type, a missing option): picocli's
     * message on one line, with its suggestion for a misspelt flag, instead of the whole usage text after it.
     */
    @Override
    public int handleParseException(CommandLine.ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        StringBuilder line = new StringBuilder("error: ").append(failure.getMessage());
        if (failure instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
        }
        String help = commandLine.getParent() == null ? "--help" : commandLine.getCommandName() + " --help";
        line.append(" (").append(help).append(" lists every flag)");
        commandLine.getErr().println(line);
        commandLine.getErr().flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof CommandLine.ParameterException) { // picocli asks for its own parse errors too
            return ExitCodes.USAGE;
        }
        TrainerException ours = TrainerException.innermostIn(failure);
        return ours != null ? ours.exitCode() : ExitCodes.FAILURE;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine,
                                        CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        TrainerException ours = TrainerException.innermostIn(failure);
        String message;
        if (ours != null) {
            message = ours.errorLine();
        } else {
            if (System.getenv("FASHION_TRAINER_DEBUG") != null) {
                failure.printStackTrace(err);
            }
            message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        }
        err.println("error: " + message.lines().findFirst().orElse(message));
        if (ours == null) {
            err.println("(set FASHION_TRAINER_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return getExitCode(failure);
    }
}
