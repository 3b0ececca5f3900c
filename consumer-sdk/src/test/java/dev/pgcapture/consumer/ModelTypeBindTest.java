package dev.pgcapture.consumer;

import static dev.pgcapture.consumer.Rows.column;
import static dev.pgcapture.consumer.Rows.row;
import static dev.pgcapture.consumer.Rows.sqlNull;
import static dev.pgcapture.consumer.Rows.textForm;
import static dev.pgcapture.consumer.Rows.unchangedToast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a row binds beyond the type table: {@link PgValue}'s four states, primitives, class
 * models, the exact {@link DecodeFailure} of a value that does not bind, and keys.
 */
class ModelTypeBindTest {

    private static final String T = ModelTypeBindTest.class.getName();

    @PgTable(name = "items")
    record Item(@PgColumn(value = "id", key = true) long id, @PgColumn("qty") int qty, @PgColumn("name") String name,
            @PgColumn("note") PgValue<String> note, @PgColumn("small") PgValue<Long> small) {
    }

    private static final ModelType<Item> ITEM = ModelType.of(Item.class);

    @Test
    void bind_pgValueMember_keepsEachOfTheFourStates() throws DecodeFailure {
        assertEquals(PgValue.of("hello"), ITEM.bind(row(column("note", 25, "68656c6c6f"))).note());
        assertEquals(PgValue.sqlNull(), ITEM.bind(row(sqlNull("note", 25))).note());
        assertEquals(PgValue.unchangedToast(), ITEM.bind(row(unchangedToast("note", 25))).note());
        assertEquals(PgValue.absent(), ITEM.bind(row(column("id", 20, "0000000000000001"))).note());
    }

    @Test
    void bind_pgValueMember_convertsTheValueItHolds() throws DecodeFailure {
        assertEquals(PgValue.of(7L), ITEM.bind(row(column("small", 21, "0007"))).small());
    }

    @Test
    void bind_referenceMember_isNullForSqlNullUnchangedToastAndAbsent() throws DecodeFailure {
        assertNull(ITEM.bind(row(sqlNull("name", 25))).name());
        assertNull(ITEM.bind(row(unchangedToast("name", 25))).name());
        assertNull(ITEM.bind(row()).name());
    }

    @Test
    void bind_oldRowWithOnlyTheKey_givesPrimitivesTheirDefault() throws DecodeFailure {
        Item old = ITEM.bind(row(column("id", 20, "000000000000002a")));
        assertEquals(new Item(42, 0, null, PgValue.absent(), PgValue.absent()), old);
    }

    @Test
    void bind_sqlNullIntoPrimitive_isDecodeFailureNamingColumnAndWhatToDeclare() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ITEM.bind(row(sqlNull("qty", 23))));
        assertFailure(failure, "qty", 23, "SQL NULL does not fit primitive int (" + T + "$Item.qty); declare Integer or PgValue<Integer>");
    }

    @Test
    void bind_textIntoInt_isDecodeFailureNamingMemberAndBothTypes() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ITEM.bind(row(column("qty", 25, "3432"))));
        assertFailure(failure, "qty", 25, "text value (java.lang.String) does not bind to int (" + T + "$Item.qty)");
    }

    @Test
    void bind_int8IntoInt_isRefusedRatherThanNarrowed() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ITEM.bind(row(column("qty", 20, "0000000000000001"))));
        assertFailure(failure, "qty", 20, "int8 value (java.lang.Long) does not bind to int (" + T + "$Item.qty)");
    }

    @Test
    void bind_valueInTextFormIntoInt_isDecodeFailureSayingWhatBindsIt() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ITEM.bind(row(textForm("qty", 23, "42"))));
        assertFailure(failure, "qty", 23, "int4 value in text form does not bind to int (" + T + "$Item.qty); PostgreSQL sent it in "
                + "text form (its type has no binary send function, or the stream is in text mode): declare String or Object");
    }

    @PgTable(name = "prices")
    record Price(@PgColumn("price") BigDecimal price) {
    }

    @Test
    void bind_numericNaNIntoBigDecimal_isDecodeFailureNamingIt() {
        DecodeFailure failure = assertThrows(DecodeFailure.class,
                () -> ModelType.of(Price.class).bind(row(column("price", 1700, "00000000c0000000"))));
        assertFailure(failure, "price", 1700, "numeric NaN does not fit java.math.BigDecimal (" + T + "$Price.price); declare "
                + "PgNumeric to receive NaN and the infinities");
    }

    enum Mood { sad, ok }

    @PgTable(name = "moods")
    record Feeling(@PgColumn("mood") Mood mood, @PgColumn("moods") List<Mood> moods) {
    }

    @Test
    void bind_enumLabelWithoutJavaConstant_isDecodeFailureListingTheConstants() {
        DecodeFailure failure = assertThrows(DecodeFailure.class,
                () -> ModelType.of(Feeling.class).bind(row(column("mood", Rows.MOOD, "6861707079"))));
        assertFailure(failure, "mood", Rows.MOOD, "label \"happy\" is not a constant of " + T + "$Mood (" + T + "$Feeling.mood); "
                + "its constants are [ok, sad]");
    }

    @Test
    void bind_mismatchInsideAnArray_saysWhichElement() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ModelType.of(Feeling.class).bind(row(column("moods",
                Rows.MOOD_ARRAY, "000000010000000100004006000000030000000100000003736164ffffffff000000056861707079"))));
        assertFailure(failure, "moods", Rows.MOOD_ARRAY, "element 3: label \"happy\" is not a constant of " + T + "$Mood (" + T
                + "$Feeling.moods); its constants are [ok, sad]");
    }

    @PgTable(name = "grid")
    record Grid(@PgColumn("cells") List<Integer> cells) {
    }

    @Test
    void bind_twoDimensionalArrayIntoFlatList_isDecodeFailureAskingForNestedLists() {
        DecodeFailure failure = assertThrows(DecodeFailure.class,
                () -> ModelType.of(Grid.class).bind(row(column("cells", 1007, Rows.INT4_ARRAY_2D))));
        assertFailure(failure, "cells", 1007, "a 2-dimensional int4[] does not bind to java.util.List<java.lang.Integer> (" + T
                + "$Grid.cells); declare one nested List (or array) per dimension");
    }

    record StrictPair(@PgColumn("n") int n, @PgColumn("t") PgValue<String> t, @PgColumn("missing") PgValue<String> missing) {
    }

    @PgTable(name = "pairs")
    record Pairs(@PgColumn("pair") StrictPair pair) {
    }

    @Test
    void bind_compositeAttributeNullIntoPrimitive_isDecodeFailureNamingTheAttribute() {
        DecodeFailure failure = assertThrows(DecodeFailure.class, () -> ModelType.of(Pairs.class).bind(row(column("pair", Rows.PAIR,
                "0000000400000017ffffffff00004006ffffffff00004005ffffffff0000001900000000"))));
        assertFailure(failure, "pair", Rows.PAIR, "attribute n: SQL NULL does not fit primitive int (" + T + "$StrictPair.n); "
                + "declare Integer or PgValue<Integer>");
    }

    @Test
    void bind_compositeAttributes_takeTheStatesOfColumnsAndAMissingOneIsAbsent() throws DecodeFailure {
        Pairs pairs = ModelType.of(Pairs.class).bind(row(column("pair", Rows.PAIR, Rows.PAIR_1_OK)));
        assertEquals(new StrictPair(1, PgValue.of("a \"q\" b"), PgValue.absent()), pairs.pair());
    }

    @PgTable(name = "checked")
    record Checked(@PgColumn("qty") int qty) {
        Checked {
            if (qty < 0) {
                throw new IllegalArgumentException("qty must not be negative");
            }
        }
    }

    @Test
    void bind_constructorThatThrows_isDecodeFailureWithItsMessage() {
        DecodeFailure failure = assertThrows(DecodeFailure.class,
                () -> ModelType.of(Checked.class).bind(row(column("qty", 23, "ffffffff"))));
        assertFailure(failure, "", 0, "the constructor of " + T + "$Checked refused the row: java.lang.IllegalArgumentException: "
                + "qty must not be negative");
    }

    static class Entity {
        @PgColumn(value = "id", key = true)
        private long id;
    }

    @PgTable(name = "items")
    static final class ItemBean extends Entity {
        @PgColumn("name")
        private String name;
        @PgColumn("note")
        private PgValue<String> note;
        private String notAColumn = "kept";

        private ItemBean() {
        }
    }

    @Test
    void bind_classModel_setsAnnotatedFieldsOfItAndItsSuperclassesAfterItsPrivateConstructor() throws DecodeFailure {
        ModelType<ItemBean> model = ModelType.of(ItemBean.class);
        ItemBean bean = model.bind(row(column("id", 20, "000000000000002a"), column("name", 25, "68656c6c6f"), sqlNull("note", 25),
                column("ignored", 23, "00000001")));
        assertEquals(42, ((Entity) bean).id);
        assertEquals("hello", bean.name);
        assertEquals(PgValue.sqlNull(), bean.note);
        assertEquals("kept", bean.notAColumn);
        assertEquals(List.of(42L), model.key(row(column("id", 20, "000000000000002a"))));
    }

    @PgTable(name = "blobs")
    record Blob(@PgColumn(value = "hash", key = true) byte[] hash, @PgColumn(value = "part", key = true) int part,
            @PgColumn(value = "price", key = true) BigDecimal price, @PgColumn("body") String body) {
    }

    @Test
    void key_equalKeyColumns_giveEqualHashMapKeysComparingBytesByContent() {
        ModelType<Blob> model = ModelType.of(Blob.class);
        List<Object> first = model.key(row(column("hash", 17, "00ff10"), column("part", 23, "00000001"),
                column("price", 1700, "000200000000000200011388"), column("body", 25, "61")));
        List<Object> second = model.key(row(column("hash", 17, "00ff10"), column("part", 23, "00000001"),
                column("price", 1700, "000200000000000100011388"), unchangedToast("body", 25)));
        Map<List<Object>, String> latest = new HashMap<>();
        latest.put(first, "first");
        latest.put(second, "second");
        assertEquals(Map.of(first, "second"), latest);
        assertNotEquals(first, model.key(row(column("hash", 17, "00ff10"), column("part", 23, "00000002"),
                column("price", 1700, "000200000000000200011388"))));
        assertNotEquals(first, model.key(row(column("hash", 17, "00ff11"), column("part", 23, "00000001"),
                column("price", 1700, "000200000000000200011388"))));
    }

    @Test
    void key_arraysHoldingBytes_compareByContent() {
        @PgTable(name = "t")
        record Keyed(@PgColumn(value = "k", key = true) List<byte[]> k) {
        }
        ModelType<Keyed> model = ModelType.of(Keyed.class);
        String hex = "00000001000000010000001100000002000000010000000200ffffffffff";
        assertEquals(model.key(row(column("k", 1001, hex))), model.key(row(column("k", 1001, hex))));
        assertEquals(model.key(row(column("k", 1001, hex))).hashCode(), model.key(row(column("k", 1001, hex))).hashCode());
    }

    private static void assertFailure(DecodeFailure failure, String column, int typeOid, String reason) {
        assertEquals(reason, failure.getMessage());
        assertEquals(column, failure.column);
        assertEquals(typeOid, failure.typeOid);
    }
}
