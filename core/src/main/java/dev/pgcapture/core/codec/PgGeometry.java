package dev.pgcapture.core.codec;

import java.util.List;
import java.util.Objects;

/** PostgreSQL's geometric types, with coordinates as PostgreSQL holds them ({@code double}). */
public sealed interface PgGeometry permits PgGeometry.Point, PgGeometry.Line, PgGeometry.Lseg, PgGeometry.Box,
        PgGeometry.Path, PgGeometry.Polygon, PgGeometry.Circle {

    /** {@code point}: {@code (x,y)}. */
    record Point(double x, double y) implements PgGeometry {
    }

    /** {@code line}: the infinite line {@code ax + by + c = 0}, printed {@code {a,b,c}}. */
    record Line(double a, double b, double c) implements PgGeometry {
    }

    /** {@code lseg}: the line segment between two points, printed {@code [(x1,y1),(x2,y2)]}. */
    record Lseg(Point start, Point end) implements PgGeometry {
        public Lseg {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }

    /** {@code box}: the upper-right and lower-left corners, printed in that order. */
    record Box(Point high, Point low) implements PgGeometry {
        public Box {
            Objects.requireNonNull(high, "high");
            Objects.requireNonNull(low, "low");
        }
    }

    /** {@code path}: points, closed ({@code ((...))}) or open ({@code [(...)]}). */
    record Path(boolean closed, List<Point> points) implements PgGeometry {
        public Path {
            points = List.copyOf(points);
        }
    }

    /** {@code polygon}: its vertices. */
    record Polygon(List<Point> points) implements PgGeometry {
        public Polygon {
            points = List.copyOf(points);
        }
    }

    /** {@code circle}: centre and radius, printed {@code <(x,y),r>}. */
    record Circle(Point center, double radius) implements PgGeometry {
        public Circle {
            Objects.requireNonNull(center, "center");
        }
    }
}
