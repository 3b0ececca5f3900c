package dev.pgcapture.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values shared by the commands; a failure is a usage error (exit code 2). */
final class OptionValues {

    /** Reads or parses a value; an {@link IllegalArgumentException} says what is wrong with it. */
    interface Parse<T> {
        T get() throws Exception;
    }

    private OptionValues() {
    }

    /**
     * {@code value}, which must be set on the command line, in {@code variable} or in the config
     * file.
     */
    static String required(CommandSpec spec, String value, String option, String variable) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '" + option + "' (or " + variable + ")");
        }
        return value;
    }

    /** The parsed value of an option; a bad one is a usage error, its message after {@code prefix}. */
    static <T> T parse(CommandSpec spec, String prefix, Parse<T> parse) throws Exception {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), prefix + e.getMessage());
        }
    }
}
