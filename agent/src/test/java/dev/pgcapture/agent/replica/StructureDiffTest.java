package dev.pgcapture.agent.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgcapture.agent.replica.TableStructure.Column;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StructureDiffTest {

    private static final long OID = 16385;

    @Test
    void alter_movesRenamesDropsAddsAndChangesColumns_byAttnum() throws Exception {
        TableStructure old = table("public", "items",
                column(1, "id", "integer").key(1),
                column(2, "gone", "text"),
                column(3, "name", "text"),
                column(4, "price", "text").defaultTo("'0'::text"),
                column(5, "note", "text").notNull());
        TableStructure now = table("shop", "goods",
                column(1, "id", "integer").key(1),
                column(3, "title", "text"),
                column(4, "price", "numeric(10,2)").defaultTo("0.00"),
                column(5, "note", "text"),
                column(6, "added", "integer").notNull().defaultTo("nextval('shop.goods_added_seq'::regclass)"));

        assertEquals(List.of(
                "CREATE SCHEMA IF NOT EXISTS shop",
                "ALTER TABLE public.items SET SCHEMA shop",
                "ALTER TABLE shop.items RENAME TO goods",
                "ALTER TABLE shop.goods DROP COLUMN gone",
                "ALTER TABLE shop.goods RENAME COLUMN name TO title",
                "CREATE SEQUENCE IF NOT EXISTS shop.goods_added_seq",
                "ALTER TABLE shop.goods ADD COLUMN added integer DEFAULT nextval('shop.goods_added_seq'::regclass) NOT NULL",
                "ALTER TABLE shop.goods ALTER COLUMN price DROP DEFAULT",
                "ALTER TABLE shop.goods ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2)",
                "ALTER TABLE shop.goods ALTER COLUMN price SET DEFAULT 0.00",
                "ALTER TABLE shop.goods ALTER COLUMN note DROP NOT NULL"),
                StructureDiff.alter(old, now, "items_pkey"));
    }

    @Test
    void alter_sameStructure_changesNothing() throws Exception {
        TableStructure t = table("public", "t", column(1, "id", "integer").key(1), column(2, "v", "text"));
        assertEquals(List.of(), StructureDiff.alter(t, t, "t_pkey"));
    }

    @Test
    void alter_changedPrimaryKey_dropsTheReplicaConstraintByItsNameAndAddsTheNewKeyInKeyOrder() throws Exception {
        TableStructure old = table("public", "T", column(1, "id", "integer").key(1), column(2, "tenant", "integer"));
        TableStructure now = table("public", "T", column(1, "id", "integer").key(2), column(2, "tenant", "integer").key(1));

        assertEquals(List.of(
                "ALTER TABLE public.\"T\" DROP CONSTRAINT \"old \"\"pk\"\"\"",
                "ALTER TABLE public.\"T\" ALTER COLUMN tenant SET NOT NULL",
                "ALTER TABLE public.\"T\" ADD PRIMARY KEY (tenant, id)"),
                StructureDiff.alter(old, now, "old \"pk\""));
    }

    @Test
    void alter_droppedPrimaryKeyColumn_dropsTheConstraintBeforeTheColumn() throws Exception {
        TableStructure old = table("public", "t", column(1, "id", "integer").key(1), column(2, "v", "text"));
        TableStructure now = table("public", "t", column(2, "v", "text"));

        assertEquals(List.of("ALTER TABLE public.t DROP CONSTRAINT t_pkey", "ALTER TABLE public.t DROP COLUMN id"),
                StructureDiff.alter(old, now, "t_pkey"));
        assertEquals(List.of("ALTER TABLE public.t DROP COLUMN id"), StructureDiff.alter(old, now, null),
                "no constraint on the replica: nothing to drop but the column");
    }

    @Test
    void alter_swappedColumnNames_goThroughTemporaryNames() throws Exception {
        TableStructure old = table("public", "t", column(1, "a", "integer"), column(2, "b", "integer"));
        TableStructure now = table("public", "t", column(1, "b", "integer"), column(2, "a", "integer"));

        assertEquals(List.of(
                "ALTER TABLE public.t RENAME COLUMN a TO pgcapture_renaming_1",
                "ALTER TABLE public.t RENAME COLUMN b TO pgcapture_renaming_2",
                "ALTER TABLE public.t RENAME COLUMN pgcapture_renaming_1 TO b",
                "ALTER TABLE public.t RENAME COLUMN pgcapture_renaming_2 TO a"),
                StructureDiff.alter(old, now, null));
    }

    @Test
    void alter_identityChanges() throws Exception {
        TableStructure old = table("public", "t",
                column(1, "a", "integer").defaultTo("0"),
                column(2, "b", "bigint").notNull().identity("always"),
                column(3, "c", "bigint").notNull().identity("always"));
        TableStructure now = table("public", "t",
                column(1, "a", "integer").notNull().identity("by default"),
                column(2, "b", "bigint").notNull().identity("by default"),
                column(3, "c", "bigint").notNull());

        assertEquals(List.of(
                "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT",
                "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL",
                "ALTER TABLE public.t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY",
                "ALTER TABLE public.t ALTER COLUMN b SET GENERATED BY DEFAULT",
                "ALTER TABLE public.t ALTER COLUMN c DROP IDENTITY"),
                StructureDiff.alter(old, now, null));
    }

    @Test
    void alter_generatedColumns_changeOrDropTheirExpression_butCannotBecomeGenerated() throws Exception {
        TableStructure old = table("public", "t", column(1, "a", "integer"),
                column(2, "twice", "integer").generated("(a * 2)"),
                column(3, "thrice", "integer").generated("(a * 3)"),
                column(4, "gone", "integer").generated("(a * 4)"));
        TableStructure now = table("public", "t", column(1, "a", "bigint"),
                column(2, "twice", "integer").generated("(a + a)"),
                column(3, "thrice", "integer"));

        assertEquals(List.of(
                "ALTER TABLE public.t DROP COLUMN gone",
                "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint",
                "ALTER TABLE public.t ALTER COLUMN twice SET EXPRESSION AS ((a + a))",
                "ALTER TABLE public.t ALTER COLUMN thrice DROP EXPRESSION"),
                StructureDiff.alter(old, now, null));

        TableStructure generated = table("public", "t", column(1, "a", "integer").generated("(1 + 1)"));
        StructureDiff.CannotAlterException e = assertThrows(StructureDiff.CannotAlterException.class,
                () -> StructureDiff.alter(table("public", "t", column(1, "a", "integer")), generated, null));
        assertEquals("column a became a generated column ((1 + 1)); PostgreSQL cannot turn an existing column into a generated one",
                e.getMessage());
    }

    @Test
    void addsComputedDefault_onlyForANewColumnWhoseDefaultIsNotALiteral() {
        TableStructure old = table("public", "t", column(1, "id", "integer").key(1));
        for (String constant : List.of("'none'::character varying", "0", "(-1.5)", "true", "NULL::text", "'happy'::other.mood",
                "'{}'::text[]", "'2024-01-01 00:00:00+00'::timestamp with time zone")) {
            assertEquals(false, StructureDiff.addsComputedDefault(old, table("public", "t", column(1, "id", "integer").key(1),
                    column(2, "c", "text").defaultTo(constant))), constant);
        }
        for (String computed : List.of("now()", "CURRENT_USER", "('x'::text || now())", "(1 + 2)")) {
            assertEquals(true, StructureDiff.addsComputedDefault(old, table("public", "t", column(1, "id", "integer").key(1),
                    column(2, "c", "text").defaultTo(computed))), computed);
        }
        TableStructure withNow = table("public", "t", column(1, "id", "integer").key(1).defaultTo("now()"));
        assertEquals(false, StructureDiff.addsComputedDefault(old, withNow), "a default set on an existing column changes no rows");
    }

    private static TableStructure table(String schema, String name, ColumnBuilder... columns) {
        TreeMap<Integer, Column> byAttnum = new TreeMap<>();
        for (ColumnBuilder column : columns) {
            byAttnum.put(column.attnum, column.build());
        }
        return new TableStructure(OID, schema, name, "r", "default", byAttnum);
    }

    private static ColumnBuilder column(int attnum, String name, String typeSql) {
        return new ColumnBuilder(attnum, name, typeSql);
    }

    /** A column with the defaults of a plain nullable one. */
    private static final class ColumnBuilder {
        private final int attnum;
        private final String name;
        private final String typeSql;
        private boolean notNull;
        private String defaultExpr;
        private Integer keyPosition;
        private String identity;
        private String generated;

        ColumnBuilder(int attnum, String name, String typeSql) {
            this.attnum = attnum;
            this.name = name;
            this.typeSql = typeSql;
        }

        ColumnBuilder notNull() {
            notNull = true;
            return this;
        }

        ColumnBuilder defaultTo(String expression) {
            defaultExpr = expression;
            return this;
        }

        ColumnBuilder key(int position) {
            keyPosition = position;
            notNull = true;
            return this;
        }

        ColumnBuilder identity(String kind) {
            identity = kind;
            return this;
        }

        ColumnBuilder generated(String expression) {
            generated = expression;
            return this;
        }

        Column build() {
            String typeName = typeSql.replaceAll("\\(.*", "");
            return new Column(attnum, name, "pg_catalog", typeName, 0, typeSql, notNull, defaultExpr, keyPosition, identity,
                    generated, true);
        }
    }
}
