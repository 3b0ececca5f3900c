package dev.pgcapture.cli;

import dev.pgcapture.core.PostgresUrl;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Usage help that never shows a password: an option's default can come from the environment or
 * the config file ({@link ConfigDefaults}), and {@code showDefaultValues} prints it, so a URL
 * such as {@code PGCAPTURE_PG_URL=postgres://u:secret@h/db} would be printed as given. This help
 * prints it with the password masked ({@code postgres://u:***@h/db}). Tokens never reach an
 * option: the commands take token files, and a file's path is no secret.
 */
final class MaskedHelp extends Help {

    /** Installs this help on {@code cli} and its subcommands. */
    static final IHelpFactory FACTORY = MaskedHelp::new;

    private MaskedHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    @Override
    public IOptionRenderer createDefaultOptionRenderer() {
        IOptionRenderer renderer = super.createDefaultOptionRenderer();
        return (option, labels, scheme) -> mask(option, renderer.render(option, labels, scheme), scheme);
    }

    private static Ansi.Text[][] mask(OptionSpec option, Ansi.Text[][] rows, ColorScheme scheme) {
        String raw = option.defaultValueString();
        if (raw == null || raw.isEmpty()) {
            return rows;
        }
        String masked = PostgresUrl.mask(raw);
        if (masked.equals(raw)) {
            return rows;
        }
        for (Ansi.Text[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String plain = row[i].plainString();
                if (plain.contains(raw)) {
                    row[i] = scheme.ansi().new Text(plain.replace(raw, masked), scheme);
                }
            }
        }
        return rows;
    }
}
