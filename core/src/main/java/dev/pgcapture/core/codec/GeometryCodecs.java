package dev.pgcapture.core.codec;

import dev.pgcapture.core.codec.PgGeometry.Box;
import dev.pgcapture.core.codec.PgGeometry.Circle;
import dev.pgcapture.core.codec.PgGeometry.Line;
import dev.pgcapture.core.codec.PgGeometry.Lseg;
import dev.pgcapture.core.codec.PgGeometry.Path;
import dev.pgcapture.core.codec.PgGeometry.Point;
import dev.pgcapture.core.codec.PgGeometry.Polygon;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometric types. Coordinates are {@code float8} and print as {@code float8} does; arrays of
 * {@code box} separate their elements with {@code ;}, since a box's text holds commas.
 */
final class GeometryCodecs {

    private static final int POINT_BYTES = 16;

    private GeometryCodecs() {
    }

    static List<Codec<?>> all() {
        return List.of(
                Codec.fixed(600, "point", Point.class, 16, GeometryCodecs::point, GeometryCodecs::pointText),
                Codec.fixed(628, "line", Line.class, 24, in -> new Line(in.getDouble(), in.getDouble(), in.getDouble()),
                        l -> "{" + FloatText.float8(l.a()) + "," + FloatText.float8(l.b()) + "," + FloatText.float8(l.c()) + "}"),
                Codec.fixed(601, "lseg", Lseg.class, 32, in -> new Lseg(point(in), point(in)),
                        l -> "[" + pointText(l.start()) + "," + pointText(l.end()) + "]"),
                new Codec<>(603, "box", Box.class, in -> {
                    if (in.remaining() != 32) {
                        throw new Codec.BadValue("expected 32 bytes, got " + in.remaining());
                    }
                    return new Box(point(in), point(in));
                }, b -> pointText(b.high()) + "," + pointText(b.low()), ';'),
                new Codec<>(602, "path", Path.class, GeometryCodecs::path,
                        p -> p.closed() ? "(" + pointsText(p.points()) + ")" : "[" + pointsText(p.points()) + "]"),
                new Codec<>(604, "polygon", Polygon.class, in -> new Polygon(points(in)), p -> "(" + pointsText(p.points()) + ")"),
                Codec.fixed(718, "circle", Circle.class, 24, in -> new Circle(point(in), in.getDouble()),
                        c -> "<" + pointText(c.center()) + "," + FloatText.float8(c.radius()) + ">"));
    }

    private static Point point(ByteBuffer in) {
        return new Point(in.getDouble(), in.getDouble());
    }

    private static Path path(ByteBuffer in) {
        byte closed = in.get();
        if (closed != 0 && closed != 1) {
            throw new Codec.BadValue("path closed flag is " + closed + ", not 0 or 1");
        }
        return new Path(closed == 1, points(in));
    }

    /** A point count, then exactly that many points. */
    private static List<Point> points(ByteBuffer in) {
        int count = Bytes.count(in, POINT_BYTES, "point");
        if (in.remaining() != (long) count * POINT_BYTES) {
            throw new Codec.BadValue(count + " points need " + (long) count * POINT_BYTES + " bytes, got " + in.remaining());
        }
        List<Point> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            points.add(point(in));
        }
        return points;
    }

    static String pointText(Point p) {
        return "(" + FloatText.float8(p.x()) + "," + FloatText.float8(p.y()) + ")";
    }

    private static String pointsText(List<Point> points) {
        StringBuilder out = new StringBuilder();
        for (Point point : points) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(pointText(point));
        }
        return out.toString();
    }
}
