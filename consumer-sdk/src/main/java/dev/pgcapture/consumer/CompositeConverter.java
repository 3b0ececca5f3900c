package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.core.codec.PgComposite;
import java.util.List;

/**
 * A record bound from a composite value ({@link PgComposite}), each {@link PgColumn}
 * component from the attribute of that name: SQL NULL and a missing attribute as for a column
 * ({@link MemberBinding}), the value converted to the component's type.
 */
final class CompositeConverter implements Converter {

    private final Class<?> type;
    private MemberBinding[] members;
    private ModelMembers.Instantiator instantiator;

    private CompositeConverter(Class<?> type) {
        this.type = type;
    }

    /**
     * The converter of {@code record}, validated once per model (a record met again, even inside
     * itself, shares it).
     *
     * @throws ModelException naming the record's member that is wrong and the member bound to the record
     */
    static CompositeConverter of(Class<?> record, Converters.Scope scope) {
        CompositeConverter existing = scope.composites().get(record);
        if (existing != null) {
            return existing;
        }
        CompositeConverter converter = new CompositeConverter(record);
        scope.composites().put(record, converter);
        ModelMembers.Shape shape;
        try {
            shape = ModelMembers.ofRecord(record, true, scope.composites());
        } catch (ModelException e) {
            throw new ModelException(e.getMessage() + " (in the composite type bound to " + scope.member() + ")");
        }
        converter.members = shape.members();
        converter.instantiator = shape.instantiator();
        return converter;
    }

    @Override
    public Object convert(Object value, int oid, PgCodecs codecs) throws Mismatch {
        if (!(value instanceof PgComposite composite)) {
            throw Converters.mismatch(value, oid, codecs, type);
        }
        List<PgComposite.Attribute> attributes = composite.attributes();
        Object[] values = new Object[members.length];
        for (int i = 0; i < members.length; i++) {
            MemberBinding member = members[i];
            PgComposite.Attribute attribute = find(attributes, member.column());
            try {
                if (attribute == null) {
                    values[i] = member.absent();
                } else if (attribute.value() == null) {
                    values[i] = member.sqlNull();
                } else {
                    values[i] = member.wrapped(attribute.value(), attribute.oid(), codecs);
                }
            } catch (Mismatch e) {
                throw e.within("attribute " + member.column());
            }
        }
        try {
            return instantiator.create(values);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new Mismatch("the constructor of " + type.getName() + " refused the attributes: " + e, null);
        }
    }

    private static PgComposite.Attribute find(List<PgComposite.Attribute> attributes, String name) {
        for (int i = 0; i < attributes.size(); i++) {
            PgComposite.Attribute attribute = attributes.get(i);
            if (attribute.name().equals(name)) {
                return attribute;
            }
        }
        return null;
    }
}
