package dev.pgcapture.consumer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the members of a model (or of a composite record) from their {@link PgColumn}
 * annotations, validates them, and prepares, once, the method handles that build an instance
 * from the members' values: a record's canonical constructor, or a class's constructor without
 * parameters followed by its fields' setters.
 */
final class ModelMembers {

    /** Builds an instance from its members' values, in the members' order. */
    @FunctionalInterface
    interface Instantiator {
        Object create(Object[] values) throws Throwable;
    }

    /** A model's members, and how to build an instance from their values. */
    record Shape(MemberBinding[] members, Instantiator instantiator) {
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private ModelMembers() {
    }

    /**
     * The members of a record whose components are annotated {@link PgColumn}, built through its
     * canonical constructor.
     *
     * @param composite whether the record stands for a composite type (its members are attributes, never keys)
     * @throws ModelException naming the record and the member that is wrong
     */
    static Shape ofRecord(Class<?> record, boolean composite, Map<Class<?>, CompositeConverter> composites) {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<?> canonical;
        try {
            canonical = record.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + record.getName() + " has no canonical constructor", e);
        }
        PgColumn[] annotations = new PgColumn[components.length];
        boolean any = false;
        for (int i = 0; i < components.length; i++) {
            PgColumn annotation = components[i].getAnnotation(PgColumn.class);
            annotations[i] = annotation != null ? annotation : canonical.getParameters()[i].getAnnotation(PgColumn.class);
            any |= annotations[i] != null;
        }
        if (!any) {
            throw new ModelException(record.getName() + ": no component is annotated @PgColumn; " + (composite
                    ? "a composite type binds to a record whose components are annotated with its attribute names"
                    : "annotate each with the column it comes from, e.g. @PgColumn(\"id\") long id"));
        }
        List<MemberBinding> members = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            String label = record.getName() + "." + components[i].getName();
            if (annotations[i] == null) {
                throw new ModelException(label + ": record component without @PgColumn; a record is built through its canonical "
                        + "constructor, which needs every component: annotate it with the " + (composite ? "attribute" : "column")
                        + " it comes from, or remove it");
            }
            if (composite && annotations[i].key()) {
                throw new ModelException(label + ": key applies to a table's columns, not to a composite type's attributes");
            }
            members.add(MemberBinding.of(label, components[i].getGenericType(), annotations[i], composites));
        }
        checkColumnsOnce(members);
        int count = components.length;
        MethodHandle constructor = handle(record, () -> LOOKUP.unreflectConstructor(accessible(record, canonical)))
                .asType(MethodType.genericMethodType(count))
                .asSpreader(Object[].class, count);
        return new Shape(members.toArray(MemberBinding[]::new), values -> (Object) constructor.invokeExact(values));
    }

    /**
     * The members of a class whose fields are annotated {@link PgColumn} (its superclasses'
     * included, theirs first), set after its constructor without parameters.
     *
     * @throws ModelException naming the class and the member that is wrong
     */
    static Shape ofClass(Class<?> type, Map<Class<?>, CompositeConverter> composites) {
        String kind = type.isAnnotation() ? "an annotation" : type.isInterface() ? "an interface" : type.isEnum() ? "an enum"
                : Modifier.isAbstract(type.getModifiers()) ? "abstract" : null;
        if (kind != null) {
            throw new ModelException(type.getName() + ": is " + kind + "; a model is a record, or a class with a constructor "
                    + "without parameters");
        }
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        List<MemberBinding> members = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                PgColumn annotation = field.getAnnotation(PgColumn.class);
                if (annotation == null) {
                    continue;
                }
                String label = c.getName() + "." + field.getName();
                if (Modifier.isStatic(field.getModifiers())) {
                    throw new ModelException(label + ": a static field cannot hold a row's column; make it an instance field");
                }
                if (Modifier.isFinal(field.getModifiers())) {
                    throw new ModelException(label + ": a final field cannot be set after the constructor; remove final, "
                            + "or make the model a record");
                }
                members.add(MemberBinding.of(label, field.getGenericType(), annotation, composites));
                fields.add(field);
            }
        }
        if (members.isEmpty()) {
            throw new ModelException(type.getName() + ": no field is annotated @PgColumn; annotate each with the column it "
                    + "comes from, e.g. @PgColumn(\"id\") long id");
        }
        checkColumnsOnce(members);
        Constructor<?> noArguments;
        try {
            noArguments = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            boolean inner = type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers());
            throw new ModelException(type.getName() + ": no constructor without parameters; a class model is built through one "
                    + "(of any visibility), its @PgColumn fields set after it" + (inner ? ". An inner class's constructors need an "
                    + "instance of " + type.getEnclosingClass().getName() + ": declare the class static" : ""));
        }
        MethodHandle constructor = handle(type, () -> LOOKUP.unreflectConstructor(accessible(type, noArguments)))
                .asType(MethodType.methodType(Object.class));
        MethodHandle[] setters = new MethodHandle[fields.size()];
        for (int i = 0; i < setters.length; i++) {
            Field field = fields.get(i);
            setters[i] = handle(type, () -> LOOKUP.unreflectSetter(accessible(type, field)))
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
        }
        return new Shape(members.toArray(MemberBinding[]::new), values -> {
            Object instance = (Object) constructor.invokeExact();
            for (int i = 0; i < setters.length; i++) {
                setters[i].invokeExact(instance, values[i]);
            }
            return instance;
        });
    }

    private static void checkColumnsOnce(List<MemberBinding> members) {
        Map<String, String> byColumn = new HashMap<>();
        for (MemberBinding member : members) {
            String earlier = byColumn.putIfAbsent(member.column(), member.label());
            if (earlier != null) {
                throw new ModelException(member.label() + ": \"" + member.column() + "\" is bound to " + earlier
                        + " already; a column binds to one member");
            }
        }
    }

    /** Reflection that the model's module may refuse. */
    @FunctionalInterface
    private interface Reflective {
        MethodHandle get() throws IllegalAccessException;
    }

    private static MethodHandle handle(Class<?> type, Reflective reflective) {
        try {
            return reflective.get();
        } catch (IllegalAccessException e) {
            throw unreachable(type, e);
        }
    }

    private static <A extends AccessibleObject> A accessible(Class<?> type, A member) {
        try {
            member.setAccessible(true);
            return member;
        } catch (InaccessibleObjectException | SecurityException e) {
            throw unreachable(type, e);
        }
    }

    private static ModelException unreachable(Class<?> type, Exception e) {
        return new ModelException(type.getName() + ": the consumer SDK cannot reach its constructor or fields (" + e.getMessage()
                + "); open package " + type.getPackageName() + " to the SDK (opens ... in module-info.java)");
    }
}
