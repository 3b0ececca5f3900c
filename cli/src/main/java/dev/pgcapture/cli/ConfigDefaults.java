package dev.pgcapture.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option not given on the command line takes its value from, for every subcommand:
 * first an environment variable {@code PGCAPTURE_<OPTION>} ({@code --pg-url} is
 * {@code PGCAPTURE_PG_URL}), then the {@code --config} file (Java properties syntax, keys are
 * option names without dashes: {@code pg-url = postgres://…}), then the option's own default.
 * Options given on the command line always win.
 */
final class ConfigDefaults implements IDefaultValueProvider {

    static final String CONFIG_OPTION = "--config";
    static final String ENV_PREFIX = "PGCAPTURE_";

    private final Map<String, String> env;
    private final Properties config;

    private ConfigDefaults(Map<String, String> env, Properties config) {
        this.env = env;
        this.config = config;
    }

    /**
     * The defaults for one run: the environment, and the config file named by {@code --config}
     * in {@code args} (or by {@code PGCAPTURE_CONFIG}).
     *
     * @throws IllegalArgumentException when the config file cannot be read, or names a key that
     *     is no option of any pgcapture command
     */
    static ConfigDefaults load(CommandLine root, String[] args, Map<String, String> env) {
        String file = configFileArgument(args);
        if (file == null) {
            file = env.get(envName(CONFIG_OPTION));
        }
        Properties config = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                config.load(in);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            Set<String> known = optionKeys(root);
            Set<String> unknown = new TreeSet<>(config.stringPropertyNames());
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("config file " + file + " has keys that are no pgcapture option: "
                        + String.join(", ", unknown) + " (keys are option names without the leading dashes, e.g. pg-url)");
            }
        }
        return new ConfigDefaults(Map.copyOf(env), config);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.longestName().equals(CONFIG_OPTION)) {
            return null;
        }
        String fromEnv = env.get(envName(option.longestName()));
        if (fromEnv != null) {
            return fromEnv;
        }
        return config.getProperty(key(option.longestName()));
    }

    /** {@code --pg-url} → {@code PGCAPTURE_PG_URL}. */
    static String envName(String optionName) {
        return ENV_PREFIX + key(optionName).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String key(String optionName) {
        return optionName.replaceFirst("^-+", "");
    }

    private static String configFileArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                return null;
            }
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return args[i].substring(CONFIG_OPTION.length() + 1);
            }
        }
        return null;
    }

    private static Set<String> optionKeys(CommandLine command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            keys.add(key(option.longestName()));
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            keys.addAll(optionKeys(sub));
        }
        keys.remove(key(CONFIG_OPTION));
        return keys;
    }
}
