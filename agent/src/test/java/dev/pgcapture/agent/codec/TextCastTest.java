package dev.pgcapture.agent.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cast-to-text rules hold for what PostgreSQL 17 printed, and for nothing else. */
class TextCastTest {

    @ParameterizedTest(name = "{0}: output <{1}>, ::text <{2}>")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, quoteCharacter = '`', value = {
        "OUTPUT|{t,NULL}|{t,NULL}",
        "BOOL|t|true",
        "BOOL|f|false",
        "INET|10.0.0.1|10.0.0.1/32",
        "INET|::1|::1/128",
        "INET|10.0.0.1/8|10.0.0.1/8",
        "INET|::ffff:1.2.3.4|::ffff:1.2.3.4/128",
        "BPCHAR|ab   |ab",
        "BPCHAR|     |``",
        "BPCHAR| a   | a",
        "XML|<a>ü</a>|<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>ü</a>",
        "XML|<?xml version=\"1.0\" standalone=\"no\"?><b/>|<?xml version='1.0' standalone='no'?><b/>",
        "XML|<?xml version=\"1.1\"?><d/>|<?xml version=\"1.1\"?><d/>",
        "XML|text only|text only",
    })
    void holds_forWhatPostgresPrinted(TextCast cast, String output, String text) {
        assertTrue(cast.holds(output, text));
    }

    @ParameterizedTest(name = "{0}: output <{1}>, ::text <{2}>")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, quoteCharacter = '`', value = {
        "OUTPUT|t|true",
        "BOOL|t|t",
        "INET|10.0.0.1|10.0.0.1",
        "INET|10.0.0.1|10.0.0.1/128",
        "BPCHAR|ab   |ab   ",
        "XML|<a/>|<?xml version=\"1.0\"?><b/>",
    })
    void holds_notForAnythingElse(TextCast cast, String output, String text) {
        assertFalse(cast.holds(output, text));
    }

    @Test
    void xmlOutput_dropsAVersionOnlyDeclarationAndOneNewlineAfterIt() {
        assertEquals("<c/>", TextCast.xmlOutput("<?xml version=\"1.0\"?>\n<c/>"));
        assertEquals("\n<c/>", TextCast.xmlOutput("<?xml version=\"1.0\"?>\n\n<c/>"));
    }
}
