package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;

import dev.pgcapture.core.codec.PgGeometry.Box;
import dev.pgcapture.core.codec.PgGeometry.Circle;
import dev.pgcapture.core.codec.PgGeometry.Line;
import dev.pgcapture.core.codec.PgGeometry.Lseg;
import dev.pgcapture.core.codec.PgGeometry.Path;
import dev.pgcapture.core.codec.PgGeometry.Point;
import dev.pgcapture.core.codec.PgGeometry.Polygon;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeometryCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'(1.5,-2)'::point", 600, "3ff8000000000000c000000000000000", new Point(1.5, -2), "(1.5,-2)"),
                fixture("'(0.1,1e300)'::point", 600, "3fb999999999999a7e37e43c8800759c", new Point(0.1, 1e300), "(0.1,1e+300)"),
                fixture("'{1,2,3}'::line", 628, "3ff000000000000040000000000000004008000000000000", new Line(1, 2, 3), "{1,2,3}"),
                fixture("'[(0,0),(1,1.5)]'::lseg", 601, "000000000000000000000000000000003ff00000000000003ff8000000000000",
                        new Lseg(new Point(0, 0), new Point(1, 1.5)), "[(0,0),(1,1.5)]"),
                fixture("'(3,4),(1,2)'::box", 603, "400800000000000040100000000000003ff00000000000004000000000000000",
                        new Box(new Point(3, 4), new Point(1, 2)), "(3,4),(1,2)"),
                fixture("'((0,0),(1,1),(2,0))'::path", 602,
                        "0100000003000000000000000000000000000000003ff00000000000003ff000000000000040000000000000000000000000000000",
                        new Path(true, List.of(new Point(0, 0), new Point(1, 1), new Point(2, 0))), "((0,0),(1,1),(2,0))"),
                fixture("'[(0,0),(1,1)]'::path", 602, "0000000002000000000000000000000000000000003ff00000000000003ff0000000000000",
                        new Path(false, List.of(new Point(0, 0), new Point(1, 1))), "[(0,0),(1,1)]"),
                fixture("'((0,0),(1,1),(1,0))'::polygon", 604,
                        "00000003000000000000000000000000000000003ff00000000000003ff00000000000003ff00000000000000000000000000000",
                        new Polygon(List.of(new Point(0, 0), new Point(1, 1), new Point(1, 0))), "((0,0),(1,1),(1,0))"),
                fixture("'<(1,2),3.5>'::circle", 718, "3ff00000000000004000000000000000400c000000000000",
                        new Circle(new Point(1, 2), 3.5), "<(1,2),3.5>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }
}
