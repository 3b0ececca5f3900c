package dev.pgcapture.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.core.DeliveryMode;
import org.junit.jupiter.api.Test;

class CaptureParametersTest {

    @Test
    void noParameters_isSharedMode_everyTable_retriedForEver() {
        CaptureParameters parameters = CaptureParameters.parse(Struct.getDefaultInstance());
        assertEquals(DeliveryMode.SHARED, parameters.mode());
        assertTrue(parameters.passes("anything"));
        assertTrue(parameters.maxAttempts().isEmpty());
    }

    @Test
    void tableRegex_isFoundAnywhereInTheTableName_likeGosMatchString() {
        CaptureParameters parameters = CaptureParameters.parse(struct("TableRegex", string("order")));
        assertTrue(parameters.passes("orders"));
        assertTrue(parameters.passes("customer_orders"));
        assertFalse(parameters.passes("items"));
        assertFalse(CaptureParameters.parse(struct("TableRegex", string("^order$"))).passes("orders"));
    }

    @Test
    void tableRegex_thatIsNotAString_isRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaptureParameters.parse(struct("TableRegex", Value.newBuilder().setNumberValue(3).build())));
        assertEquals("TableRegex must be a string, was the number 3.0", e.getMessage());
    }

    @Test
    void maxAttempts_inExactMode_isAWholeNumber() {
        CaptureParameters parameters = CaptureParameters.parse(struct("Mode", string("EXACT"), "MaxAttempts",
                Value.newBuilder().setNumberValue(5).build()));
        assertEquals(DeliveryMode.EXACT, parameters.mode());
        assertEquals(5, parameters.maxAttempts().getAsInt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptureParameters.parse(
                struct("Mode", string("exact"), "MaxAttempts", Value.newBuilder().setNumberValue(2.5).build())));
        assertEquals("MaxAttempts must be a whole number from 1 to 2147483647, was 2.5", e.getMessage());
    }

    private static Value string(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static Struct struct(Object... entries) {
        Struct.Builder struct = Struct.newBuilder();
        for (int i = 0; i < entries.length; i += 2) {
            struct.putFields((String) entries[i], (Value) entries[i + 1]);
        }
        return struct.build();
    }
}
