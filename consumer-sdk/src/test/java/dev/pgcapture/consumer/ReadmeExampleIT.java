package dev.pgcapture.consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture;
import dev.pgcapture.gateway.GatewayStack;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import io.grpc.Channel;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's consumer example, taken from the README itself, compiled and run against the
 * whole system (capture, Pulsar, the gateway): the index it keeps must follow the table through
 * inserts, an update that leaves a large TOASTed value unchanged, a delete and a DDL change.
 */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class ReadmeExampleIT {

    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String MARKER = "<!-- readme-example: ItemsIndex -->";

    @Test
    void readmeExample_compiles_andItsIndexFollowsTheTable(TestDatabase source, TestPulsar pulsar) throws Exception {
        Class<?> example = compile("ItemsIndex", readmeExample());
        Object index = example.getConstructor().newInstance();
        @SuppressWarnings("unchecked")
        Map<Long, Record> items = (Map<Long, Record>) example.getField("index").get(index);

        source.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[],"
                + " description text, updated_at timestamptz)");
        // Over 2 kB and incompressible, so PostgreSQL stores it out of line (TOAST) and leaves it out of updates.
        String large = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 200) g)";
        try (CaptureFixture capture = CaptureFixture.start(source, pulsar);
                GatewayStack stack = GatewayStack.changesFor(pulsar, capture.topic(), "items-search")) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread running = Thread.ofPlatform().name("readme-example").start(() -> {
                try {
                    example.getMethod("run", Channel.class).invoke(index, stack.channel);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (!(e.getCause() instanceof InterruptedException)) {
                        failed.set(e.getCause());
                    }
                } catch (ReflectiveOperationException e) {
                    failed.set(e);
                }
            });
            try {
                source.execute("INSERT INTO items VALUES (1, 'lamp', 19.90, '{home,light}', " + large + ", now()),"
                                + " (2, 'chair', 45.00, '{home}', 'a chair', now()), (3, 'desk', 120.00, '{}', NULL, now())",
                        "UPDATE items SET name = 'desk lamp', updated_at = now() WHERE id = 1",
                        "DELETE FROM items WHERE id = 2",
                        "ALTER TABLE items ADD COLUMN stock int NOT NULL DEFAULT 0",
                        "UPDATE items SET stock = 5, price = 99.50 WHERE id = 3");

                await("the README example's index following the table").atMost(WAIT).until(() -> {
                    assertTrue(failed.get() == null, () -> "the example failed: " + failed.get());
                    Record desk = items.get(3L);
                    return items.size() == 2 && desk != null && new BigDecimal("99.50").equals(component(desk, "price"));
                });
                Record lamp = items.get(1L);
                assertEquals("desk lamp", component(lamp, "name"));
                assertEquals(List.of("home", "light"), component(lamp, "tags"));
                PgValue<?> description = (PgValue<?>) component(lamp, "description");
                assertEquals(6400, ((String) description.get()).length(), "the unchanged TOAST value was kept from the insert");
                assertNotNull(component(lamp, "updatedAt"));
                assertEquals(List.of(), component(items.get(3L), "tags"));
                assertTrue(((PgValue<?>) component(items.get(3L), "description")).isNull());
            } finally {
                running.interrupt();
                running.join(WAIT.toMillis());
            }
            assertTrue(!running.isAlive(), "the example stopped when interrupted");
        }
    }

    private static Object component(Record record, String name) throws ReflectiveOperationException {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component.getAccessor().invoke(record);
            }
        }
        throw new AssertionError(record.getClass() + " has no component " + name);
    }

    /** The Java block after the example's marker in the README at the repository's root. */
    static String readmeExample() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int marker = text.indexOf(MARKER);
        assertTrue(marker >= 0, readme.toAbsolutePath() + " has no " + MARKER);
        int start = text.indexOf("```java\n", marker) + "```java\n".length();
        int end = text.indexOf("\n```", start);
        return text.substring(start, end + 1);
    }

    /** Compiles {@code source} (class {@code name}, default package) against the test class path and loads it. */
    static Class<?> compile(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory("readme-example");
        Path file = dir.resolve(name + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(file.toFile());
            boolean compiled = compiler.getTask(messages, files, null,
                    List.of("--release", "21", "-classpath", classPath, "-d", dir.toString()), null, units).call();
            assertTrue(compiled, "the README example does not compile:\n" + messages);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeExampleIT.class.getClassLoader());
        return Class.forName(name, true, loader);
    }
}
