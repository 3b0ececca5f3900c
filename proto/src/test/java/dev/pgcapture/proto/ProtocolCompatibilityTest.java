package dev.pgcapture.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins wire compatibility with pgcapture: every message, field (name, number, type, cardinality,
 * oneof), enum value, service and method of pgcapture's protocol must be present and unchanged
 * in our generated descriptors, and everything we add to pgcapture's messages must be numbered
 * from 100 up.
 */
class ProtocolCompatibilityTest {

    private static final FileDescriptor FILE = PgCaptureProto.getDescriptor();

    /**
     * pgcapture's messages. A field is {@code name number type}, where type is a scalar, a
     * message or enum of package pgcapture or a google.protobuf type; {@code repeated} and
     * {@code oneof:NAME} follow where they apply.
     */
    private static final String UPSTREAM_MESSAGES = """
            Checkpoint          | lsn 1 uint64; seq 2 uint32; data 3 bytes
            Message             | begin 1 Begin oneof:type; commit 2 Commit oneof:type; change 3 Change oneof:type; keep_alive 4 KeepAlive oneof:type
            Begin               | final_lsn 1 uint64; commit_time 2 uint64; remote_xid 3 uint32
            Commit              | commit_lsn 1 uint64; end_lsn 2 uint64; commit_time 3 uint64
            KeepAlive           |
            Change              | op 1 Change.Operation; schema 2 string; table 3 string; new 4 Field repeated; old 5 Field repeated
            Field               | name 1 string; oid 2 uint32; binary 3 bytes oneof:value; text 4 string oneof:value
            CaptureRequest      | init 1 CaptureInit oneof:type; ack 2 CaptureAck oneof:type
            CaptureInit         | uri 1 string; parameters 2 google.protobuf.Struct
            CaptureAck          | checkpoint 1 Checkpoint; requeue_reason 2 string
            CaptureMessage      | checkpoint 1 Checkpoint; change 2 Change
            DumpInfoRequest     | uri 1 string; requeue_reason 2 string
            DumpInfoResponse    | schema 1 string; table 2 string; page_begin 3 uint32; page_end 4 uint32
            ScheduleRequest     | uri 1 string; dumps 2 DumpInfoResponse repeated
            ScheduleResponse    |
            StopScheduleRequest | uri 1 string
            StopScheduleResponse |
            SetScheduleCoolDownRequest | uri 1 string; duration 2 google.protobuf.Duration
            SetScheduleCoolDownResponse |
            AgentDumpRequest    | min_lsn 1 uint64; info 2 DumpInfoResponse
            AgentDumpResponse   | change 1 Change repeated
            AgentConfigRequest  | parameters 1 google.protobuf.Struct
            AgentConfigResponse | report 1 google.protobuf.Struct
            """;

    /** pgcapture's enums: {@code NAME number}. */
    private static final Map<String, String> UPSTREAM_ENUMS = Map.of(
            "Change.Operation", "INSERT 0; UPDATE 1; DELETE 2");

    /** pgcapture's RPCs: {@code Service.Method [stream ]Request -> [stream ]Response}. */
    private static final List<String> UPSTREAM_METHODS = List.of(
            "DBLogGateway.Capture stream CaptureRequest -> stream CaptureMessage",
            "DBLogController.PullDumpInfo stream DumpInfoRequest -> stream DumpInfoResponse",
            "DBLogController.Schedule ScheduleRequest -> ScheduleResponse",
            "DBLogController.StopSchedule StopScheduleRequest -> StopScheduleResponse",
            "DBLogController.SetScheduleCoolDown SetScheduleCoolDownRequest -> SetScheduleCoolDownResponse",
            "Agent.Configure AgentConfigRequest -> AgentConfigResponse",
            "Agent.Dump AgentDumpRequest -> AgentDumpResponse",
            "Agent.StreamDump AgentDumpRequest -> stream Change");

    private static final int FIRST_ADDITION = 100;

    @Test
    void package_isPgcapture() {
        assertEquals("pgcapture", FILE.getPackage());
        assertEquals("proto3", FILE.toProto().getSyntax());
    }

    @Test
    void everyUpstreamMessageAndField_isPresentAndUnchanged() {
        List<String> problems = new ArrayList<>();
        for (String line : UPSTREAM_MESSAGES.strip().split("\n")) {
            String[] parts = line.split("\\|", -1);
            String messageName = parts[0].strip();
            Descriptor message = FILE.findMessageTypeByName(messageName);
            if (message == null) {
                problems.add("message " + messageName + " is missing");
                continue;
            }
            for (String fieldSpec : parts[1].split(";")) {
                if (!fieldSpec.isBlank()) {
                    checkField(message, fieldSpec.strip().split("\\s+"), problems);
                }
            }
        }
        assertNoProblems(problems);
    }

    private static void checkField(Descriptor message, String[] spec, List<String> problems) {
        String where = message.getName() + "." + spec[0];
        FieldDescriptor field = message.findFieldByName(spec[0]);
        if (field == null) {
            problems.add(where + " is missing");
            return;
        }
        int number = Integer.parseInt(spec[1]);
        if (field.getNumber() != number) {
            problems.add(where + " has number " + field.getNumber() + ", pgcapture's is " + number);
        }
        if (!typeName(field).equals(spec[2])) {
            problems.add(where + " has type " + typeName(field) + ", pgcapture's is " + spec[2]);
        }
        Set<String> flags = Set.copyOf(Arrays.asList(spec).subList(3, spec.length));
        boolean repeated = flags.contains("repeated");
        if (field.isRepeated() != repeated) {
            problems.add(where + (repeated ? " must be repeated" : " must not be repeated"));
        }
        String oneof = flags.stream().filter(f -> f.startsWith("oneof:")).map(f -> f.substring(6)).findFirst().orElse(null);
        String actualOneof = field.getRealContainingOneof() == null ? null : field.getRealContainingOneof().getName();
        if (oneof == null ? actualOneof != null : !oneof.equals(actualOneof)) {
            problems.add(where + " is in oneof " + actualOneof + ", pgcapture's is " + oneof);
        }
    }

    private static String typeName(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case MESSAGE -> relativeName(field.getMessageType().getFullName());
            case ENUM -> relativeName(field.getEnumType().getFullName());
            default -> field.getType().name().toLowerCase();
        };
    }

    private static String relativeName(String fullName) {
        return fullName.startsWith("pgcapture.") ? fullName.substring("pgcapture.".length()) : fullName;
    }

    @Test
    void everyUpstreamEnumValue_isPresentAndUnchanged() {
        List<String> problems = new ArrayList<>();
        UPSTREAM_ENUMS.forEach((enumName, values) -> {
            EnumDescriptor enumType = findEnum(enumName);
            for (String value : values.split(";")) {
                String[] spec = value.strip().split("\\s+");
                EnumValueDescriptor actual = enumType.findValueByName(spec[0]);
                if (actual == null) {
                    problems.add(enumName + "." + spec[0] + " is missing");
                } else if (actual.getNumber() != Integer.parseInt(spec[1])) {
                    problems.add(enumName + "." + spec[0] + " is " + actual.getNumber() + ", pgcapture's is " + spec[1]);
                }
            }
        });
        assertNoProblems(problems);
    }

    @Test
    void everyUpstreamServiceAndMethod_isPresentAndUnchanged() {
        List<String> problems = new ArrayList<>();
        for (String expected : UPSTREAM_METHODS) {
            String[] name = expected.substring(0, expected.indexOf(' ')).split("\\.");
            ServiceDescriptor service = FILE.findServiceByName(name[0]);
            MethodDescriptor method = service == null ? null : service.findMethodByName(name[1]);
            if (method == null) {
                problems.add(expected + ": missing");
                continue;
            }
            String actual = service.getName() + "." + method.getName() + " "
                    + (method.isClientStreaming() ? "stream " : "") + relativeName(method.getInputType().getFullName())
                    + " -> " + (method.isServerStreaming() ? "stream " : "") + relativeName(method.getOutputType().getFullName());
            if (!actual.equals(expected)) {
                problems.add("expected " + expected + ", found " + actual);
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void additionsToUpstreamMessages_areNumberedFrom100() {
        List<String> problems = new ArrayList<>();
        for (String line : UPSTREAM_MESSAGES.strip().split("\n")) {
            String[] parts = line.split("\\|", -1);
            Descriptor message = FILE.findMessageTypeByName(parts[0].strip());
            Set<String> upstream = new java.util.HashSet<>();
            for (String fieldSpec : parts[1].split(";")) {
                if (!fieldSpec.isBlank()) {
                    upstream.add(fieldSpec.strip().split("\\s+")[0]);
                }
            }
            for (FieldDescriptor field : message.getFields()) {
                if (!upstream.contains(field.getName()) && field.getNumber() < FIRST_ADDITION) {
                    problems.add(message.getName() + "." + field.getName() + " is ours but numbered " + field.getNumber());
                }
            }
        }
        UPSTREAM_ENUMS.forEach((enumName, values) -> {
            Set<String> upstream = Set.of(values.split(";")).stream().map(v -> v.strip().split("\\s+")[0]).collect(Collectors.toSet());
            for (EnumValueDescriptor value : findEnum(enumName).getValues()) {
                if (!upstream.contains(value.getName()) && value.getNumber() < FIRST_ADDITION) {
                    problems.add(enumName + "." + value.getName() + " is ours but numbered " + value.getNumber());
                }
            }
        });
        assertNoProblems(problems);
    }

    @Test
    void ourAdditions_arePresent() {
        assertEquals(100, Change.Operation.TRUNCATE.getNumber());
        assertNotNull(Change.getDescriptor().findFieldByName("unchanged_toast"));
        assertNotNull(Change.getDescriptor().findFieldByName("truncate"));
        assertNotNull(CaptureMessage.getDescriptor().findFieldByName("snapshot_lsn"));
        assertNotNull(FILE.findServiceByName("DBLogController").findMethodByName("ListSchedules"));
        assertNotNull(FILE.findServiceByName("DBLogController").findMethodByName("ScheduleTables"));
        assertNotNull(FILE.findServiceByName("DBLogGateway").findMethodByName("DescribeTypes"));
        assertNotNull(FILE.findServiceByName("Agent").findMethodByName("DescribeTypes"));
        assertEquals(100, DumpInfoRequest.getDescriptor().findFieldByName("mode").getNumber());
        assertEquals(101, DumpInfoRequest.getDescriptor().findFieldByName("rows").getNumber());
        assertEquals(100, DumpInfoResponse.getDescriptor().findFieldByName("last_of_table").getNumber());
        assertEquals(101, CaptureMessage.getDescriptor().findFieldByName("redelivery").getNumber());
        assertEquals(102, CaptureMessage.getDescriptor().findFieldByName("commit_time").getNumber());
    }

    @Test
    void ourAgentAdditions_arePresent() {
        assertEquals(100, AgentDumpResponse.getDescriptor().findFieldByName("snapshot_lsn").getNumber());
        ServiceDescriptor agent = FILE.findServiceByName("Agent");
        MethodDescriptor tableDump = agent.findMethodByName("TableDump");
        assertTrue(tableDump.isClientStreaming() && tableDump.isServerStreaming(), "TableDump is a bidirectional stream");
        assertEquals("TableDumpRequest", tableDump.getInputType().getName());
        assertEquals("TableDumpResponse", tableDump.getOutputType().getName());
        MethodDescriptor tableInfo = agent.findMethodByName("TableInfo");
        assertTrue(!tableInfo.isClientStreaming() && !tableInfo.isServerStreaming(), "TableInfo is unary");
        assertEquals(List.of("start", "chunk", "whole"),
                TableDumpRequest.getDescriptor().getOneofs().get(0).getFields().stream().map(FieldDescriptor::getName).toList());
        assertEquals(List.of("snapshot", "change", "chunk_end"),
                TableDumpResponse.getDescriptor().getOneofs().get(0).getFields().stream().map(FieldDescriptor::getName).toList());
        assertTrue(TableInfoResponse.getDescriptor().findFieldByName("row_estimate").hasPresence(),
                "a row estimate is absent, not -1, for a table never analyzed");
    }

    @Test
    void upstreamEncoding_parsesIntoOurClasses() throws Exception {
        // Bytes as a pgcapture peer writes them: CaptureMessage{checkpoint{lsn=0x1234, seq=7, data="m"},
        // change{op=UPDATE, schema="public", table="t", new=[{name="id", oid=23, binary=0x00000001}]}}.
        byte[] wire = {
            0x0a, 0x08, 0x08, (byte) 0xb4, 0x24, 0x10, 0x07, 0x1a, 0x01, 'm',
            0x12, 0x1b, 0x08, 0x01, 0x12, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0x1a, 0x01, 't',
            0x22, 0x0c, 0x0a, 0x02, 'i', 'd', 0x10, 0x17, 0x1a, 0x04, 0x00, 0x00, 0x00, 0x01};
        CaptureMessage message = CaptureMessage.parseFrom(wire);
        assertEquals(0x1234, message.getCheckpoint().getLsn());
        assertEquals(7, message.getCheckpoint().getSeq());
        assertEquals(Change.Operation.UPDATE, message.getChange().getOp());
        assertEquals("public", message.getChange().getSchema());
        Field field = message.getChange().getNew(0);
        assertEquals("id", field.getName());
        assertEquals(23, field.getOid());
        assertTrue(field.hasBinary());
        assertEquals(1, field.getBinary().asReadOnlyByteBuffer().getInt());
        assertEquals(message.toByteString(), com.google.protobuf.ByteString.copyFrom(wire), "we write the same bytes back");
    }

    private static EnumDescriptor findEnum(String dottedName) {
        String[] parts = dottedName.split("\\.");
        EnumDescriptor found = parts.length == 1
                ? FILE.findEnumTypeByName(parts[0])
                : FILE.findMessageTypeByName(parts[0]).findEnumTypeByName(parts[1]);
        if (found == null) {
            fail("enum " + dottedName + " is missing");
        }
        return found;
    }

    private static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), () -> "incompatible with pgcapture:\n  " + String.join("\n  ", problems));
    }
}
