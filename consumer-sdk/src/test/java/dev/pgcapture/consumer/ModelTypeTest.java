package dev.pgcapture.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.TableName;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ModelType#of} accepts, and the exact message of each model it refuses. */
class ModelTypeTest {

    private static final String T = ModelTypeTest.class.getName();

    @PgTable(name = "items")
    record Item(@PgColumn(value = "id", key = true) long id, @PgColumn("name") String name) {
    }

    @Test
    void of_annotatedRecord_namesItsTableAndKey() {
        ModelType<Item> model = ModelType.of(Item.class);
        assertEquals(Item.class, model.type());
        assertEquals(new TableName("public", "items"), model.table());
        assertTrue(model.hasKey());
    }

    @PgTable(schema = "Sales", name = "Line items")
    static class LineItem {
        @PgColumn("id")
        private long id;
    }

    @Test
    void of_annotatedClass_keepsNamesAsWrittenAndHasNoKeyWithoutOne() {
        ModelType<LineItem> model = ModelType.of(LineItem.class);
        assertEquals(new TableName("Sales", "Line items"), model.table());
        assertFalse(model.hasKey());
    }

    record NoTable(@PgColumn("id") long id) {
    }

    @Test
    void of_withoutPgTable_isRefusedNamingTheClass() {
        assertRefused(NoTable.class, T + "$NoTable: not annotated @PgTable; a model names its table, e.g. "
                + "@PgTable(schema = \"public\", name = \"items\")");
    }

    @PgTable(name = "")
    record EmptyTableName(@PgColumn("id") long id) {
    }

    @Test
    void of_emptyTableName_isRefused() {
        assertRefused(EmptyTableName.class, T + "$EmptyTableName: @PgTable(schema = \"public\", name = \"\") names no table; "
                + "neither name may be empty");
    }

    @PgTable(name = "t")
    record NoColumns(long id) {
    }

    @Test
    void of_recordWithoutPgColumn_isRefusedNamingTheRecord() {
        assertRefused(NoColumns.class, T + "$NoColumns: no component is annotated @PgColumn; annotate each with the column it "
                + "comes from, e.g. @PgColumn(\"id\") long id");
    }

    @PgTable(name = "t")
    static class NoColumnFields {
        long id;
    }

    @Test
    void of_classWithoutPgColumnField_isRefusedNamingTheClass() {
        assertRefused(NoColumnFields.class, T + "$NoColumnFields: no field is annotated @PgColumn; annotate each with the column "
                + "it comes from, e.g. @PgColumn(\"id\") long id");
    }

    @PgTable(name = "t")
    record Unannotated(@PgColumn("id") long id, String note) {
    }

    @Test
    void of_recordComponentWithoutPgColumn_isRefusedNamingTheComponent() {
        assertRefused(Unannotated.class, T + "$Unannotated.note: record component without @PgColumn; a record is built through "
                + "its canonical constructor, which needs every component: annotate it with the column it comes from, or remove it");
    }

    @PgTable(name = "t")
    record WithFile(@PgColumn("price") File price) {
    }

    @Test
    void of_memberOfTypeNoColumnBindsTo_isRefusedNamingMemberAndType() {
        assertRefused(WithFile.class, T + "$WithFile.price: java.io.File is not a type a PostgreSQL column binds to; use a type "
                + "PgValue's documentation lists (String takes any column's text form, Object its value as decoded)");
    }

    @PgTable(name = "t")
    record WithMap(@PgColumn("attrs") Map<String, String> attrs) {
    }

    @Test
    void of_mapMember_isRefusedPointingToJsonText() {
        assertRefused(WithMap.class, T + "$WithMap.attrs: java.util.Map<java.lang.String, java.lang.String> is not a type a "
                + "PostgreSQL column binds to; a json or jsonb column binds to String, its JSON text");
    }

    @PgTable(name = "t")
    @SuppressWarnings("rawtypes")
    record WithRawList(@PgColumn("tags") List tags) {
    }

    @Test
    void of_rawList_isRefusedAskingForTheElementType() {
        assertRefused(WithRawList.class, T + "$WithRawList.tags: java.util.List is not a type a PostgreSQL column binds to; "
                + "declare its element type, e.g. List<String>");
    }

    @PgTable(name = "t")
    record WithListOfFiles(@PgColumn("files") List<File> files) {
    }

    @Test
    void of_listOfUnboundType_isRefusedNamingTheElementType() {
        assertRefused(WithListOfFiles.class, T + "$WithListOfFiles.files: java.io.File (in java.util.List<java.io.File>) is not a "
                + "type a PostgreSQL column binds to; use a type PgValue's documentation lists (String takes any column's text "
                + "form, Object its value as decoded)");
    }

    @PgTable(name = "t")
    record WithIntArray(@PgColumn("counts") int[] counts) {
    }

    @Test
    void of_primitiveArray_isRefusedAskingForBoxedElements() {
        assertRefused(WithIntArray.class, T + "$WithIntArray.counts: int[] is not a type a PostgreSQL column binds to; an array's "
                + "SQL NULL elements need a class: declare Integer[] or List<Integer>");
    }

    static class Address {
        @PgColumn("street")
        String street;
    }

    @PgTable(name = "t")
    record WithClassComposite(@PgColumn("address") Address address) {
    }

    @Test
    void of_nonRecordClassAsComposite_isRefusedAskingForARecord() {
        assertRefused(WithClassComposite.class, T + "$WithClassComposite.address: " + T + "$Address is not a type a PostgreSQL "
                + "column binds to; a composite type binds to a record whose components are annotated @PgColumn with its "
                + "attribute names");
    }

    record Point3(@PgColumn("x") double x, @PgColumn("where") File where) {
    }

    @PgTable(name = "t")
    record WithBadComposite(@PgColumn("id") long id, @PgColumn("points") List<Point3> points) {
    }

    @Test
    void of_compositeRecordWithUnboundComponent_isRefusedNamingBothMembers() {
        assertRefused(WithBadComposite.class, T + "$Point3.where: java.io.File is not a type a PostgreSQL column binds to; use a "
                + "type PgValue's documentation lists (String takes any column's text form, Object its value as decoded) "
                + "(in the composite type bound to " + T + "$WithBadComposite.points)");
    }

    record PlainRecord(long x) {
    }

    @PgTable(name = "t")
    record WithPlainRecord(@PgColumn("p") PlainRecord p) {
    }

    @Test
    void of_recordWithoutPgColumnAsComposite_isRefused() {
        assertRefused(WithPlainRecord.class, T + "$PlainRecord: no component is annotated @PgColumn; a composite type binds to a "
                + "record whose components are annotated with its attribute names (in the composite type bound to " + T
                + "$WithPlainRecord.p)");
    }

    record KeyedAttribute(@PgColumn(value = "x", key = true) int x) {
    }

    @PgTable(name = "t")
    record WithKeyedAttribute(@PgColumn("k") KeyedAttribute k) {
    }

    @Test
    void of_keyOnCompositeAttribute_isRefused() {
        assertRefused(WithKeyedAttribute.class, T + "$KeyedAttribute.x: key applies to a table's columns, not to a composite "
                + "type's attributes (in the composite type bound to " + T + "$WithKeyedAttribute.k)");
    }

    @PgTable(name = "t")
    record TwoForOne(@PgColumn("id") long id, @PgColumn("id") String idText) {
    }

    @Test
    void of_twoMembersForOneColumn_isRefusedNamingBoth() {
        assertRefused(TwoForOne.class, T + "$TwoForOne.idText: \"id\" is bound to " + T + "$TwoForOne.id already; a column binds "
                + "to one member");
    }

    @PgTable(name = "t")
    record EmptyColumn(@PgColumn("") long id) {
    }

    @Test
    void of_emptyColumnName_isRefusedNamingTheMember() {
        assertRefused(EmptyColumn.class, T + "$EmptyColumn.id: @PgColumn names no column");
    }

    @PgTable(name = "t")
    static class NoDefaultConstructor {
        @PgColumn("id")
        long id;

        NoDefaultConstructor(long id) {
            this.id = id;
        }
    }

    @Test
    void of_classWithoutNoArgConstructor_isRefused() {
        assertRefused(NoDefaultConstructor.class, T + "$NoDefaultConstructor: no constructor without parameters; a class model is "
                + "built through one (of any visibility), its @PgColumn fields set after it");
    }

    @PgTable(name = "t")
    class Inner {
        @PgColumn("id")
        long id;
    }

    @Test
    void of_innerClass_isRefusedAskingForStatic() {
        assertRefused(Inner.class, T + "$Inner: no constructor without parameters; a class model is built through one (of any "
                + "visibility), its @PgColumn fields set after it. An inner class's constructors need an instance of " + T
                + ": declare the class static");
    }

    @PgTable(name = "t")
    static class FinalField {
        @PgColumn("id")
        final long id = 0;
    }

    @Test
    void of_finalField_isRefusedNamingIt() {
        assertRefused(FinalField.class, T + "$FinalField.id: a final field cannot be set after the constructor; remove final, or "
                + "make the model a record");
    }

    @PgTable(name = "t")
    static class StaticField {
        @PgColumn("id")
        static long id;
    }

    @Test
    void of_staticField_isRefusedNamingIt() {
        assertRefused(StaticField.class, T + "$StaticField.id: a static field cannot hold a row's column; make it an instance field");
    }

    @PgTable(name = "t")
    abstract static class Abstract {
        @PgColumn("id")
        long id;
    }

    @PgTable(name = "t")
    interface AnInterface {
    }

    @Test
    void of_abstractClassOrInterface_isRefused() {
        assertRefused(Abstract.class, T + "$Abstract: is abstract; a model is a record, or a class with a constructor without "
                + "parameters");
        assertRefused(AnInterface.class, T + "$AnInterface: is an interface; a model is a record, or a class with a constructor "
                + "without parameters");
    }

    @PgTable(name = "t")
    record PgValueInList(@PgColumn("xs") List<PgValue<String>> xs) {
    }

    @PgTable(name = "t")
    @SuppressWarnings("rawtypes")
    record RawPgValue(@PgColumn("x") PgValue x) {
    }

    @Test
    void of_pgValueOtherThanAroundAMember_isRefused() {
        assertRefused(PgValueInList.class, T + "$PgValueInList.xs: dev.pgcapture.consumer.PgValue<java.lang.String> (in "
                + "java.util.List<dev.pgcapture.consumer.PgValue<java.lang.String>>) is not a type a PostgreSQL column binds to; "
                + "PgValue wraps a member itself, not its elements or attributes");
        assertRefused(RawPgValue.class, T + "$RawPgValue.x: a raw PgValue; declare PgValue<T> with the Java type the column binds to");
    }

    @PgTable(name = "t")
    record Generic<V>(@PgColumn("v") V v) {
    }

    @Test
    void of_typeVariableMember_isRefused() {
        assertRefused(Generic.class, T + "$Generic.v: V is not a type a PostgreSQL column binds to; a type variable has no type "
                + "at run time: declare the type itself");
    }

    @PgTable(name = "t")
    record WithChar(@PgColumn("c") char c) {
    }

    @Test
    void of_primitiveNoColumnBindsTo_isRefused() {
        assertRefused(WithChar.class, T + "$WithChar.c: char is not a type a PostgreSQL column binds to; use String");
    }

    @Test
    void handlers_twoModelsOfOneTable_isRefusedNamingBoth() {
        @PgTable(name = "items")
        record Other(@PgColumn("id") long id) {
        }
        ModelException e = assertThrows(ModelException.class,
                () -> Handlers.builder().on(Item.class, change -> { }).on(Other.class, change -> { }));
        assertEquals("models " + T + "$Item and " + Other.class.getName() + " both name table public.items: a table has one model",
                e.getMessage());
    }

    private static void assertRefused(Class<?> model, String message) {
        ModelException e = assertThrows(ModelException.class, () -> ModelType.of(model));
        assertEquals(message, e.getMessage());
    }
}
