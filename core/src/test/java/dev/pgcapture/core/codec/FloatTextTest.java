package dev.pgcapture.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Float text as PostgreSQL 17 printed it with {@code extra_float_digits=1}. */
class FloatTextTest {

    @ParameterizedTest(name = "{0}::float8 prints {1}")
    @CsvSource(delimiter = '|', value = {
        "9007199254740993|9.007199254740992e+15",
        "2.2250738585072014e-308|2.2250738585072014e-308",
        "1.5e-323|1.5e-323",
        "1e22|1e+22",
        "0.30000000000000004|0.30000000000000004",
        "100|100",
        "1e23|9.999999999999999e+22",
        "4.9e-324|5e-324",
    })
    void float8_printsPostgresShortestDecimal(double value, String text) {
        assertEquals(text, FloatText.float8(value));
    }

    @ParameterizedTest(name = "{0}::float4 prints {1}")
    @CsvSource(delimiter = '|', value = {
        "1e5|100000",
        "123456|123456",
        "1234567|1.234567e+06",
        "1e-4|0.0001",
        "9.999999e-5|9.999999e-05",
        "1.5e-5|1.5e-05",
        "2.8e-45|3e-45",
        "16777217|1.6777216e+07",
        "0.3|0.3",
        "1.1754944e-38|1.1754944e-38",
        "1234.5|1234.5",
    })
    void float4_printsPostgresShortestDecimal(float value, String text) {
        assertEquals(text, FloatText.float4(value));
    }

    @Test
    void float8_randomValues_readBackExactly() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(value)) {
                String text = FloatText.float8(value);
                assertEquals(value, Double.parseDouble(text), text);
            }
        }
    }

    @Test
    void float4_randomValues_readBackExactly() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(value)) {
                String text = FloatText.float4(value);
                assertEquals(value, Float.parseFloat(text), text);
            }
        }
    }
}
