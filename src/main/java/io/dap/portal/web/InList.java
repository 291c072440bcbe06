package io.dap.portal.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.persistence.Query;

/**
 * The values of an IN condition in a query, one named parameter each.
 *
 * <p>Hibernate caches a query's translation from HQL to SQL, but not when a parameter holds a list
 * ({@code in :ids}): the SQL depends on the list's length, so the query is translated anew on every
 * run, which cost a page more CPU than the database did. Here the HQL names one parameter per value
 * ({@code in (:ids0, :ids1, …)}), so the HQL string itself fixes the length and its translation is
 * cached like any other query's. Lengths are rounded up to a power of two, the last value repeated
 * (a repeat changes nothing in an IN), so a query has a handful of shapes rather than one per length.
 * Every query of the portal writes its IN conditions this way; {@code QueryShapeTest} checks it.
 */
public final class InList {

    private final String name;
    private final List<Object> values;

    private InList(String name, Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an IN condition needs at least one value: " + name);
        }
        this.name = name;
        this.values = new ArrayList<>(values);
    }

    /** The values, to be bound as {@code name0}, {@code name1} … ; at least one. */
    public static InList of(String name, Collection<?> values) {
        return new InList(name, values);
    }

    /** How many parameters the query names for this many values: the next power of two. */
    static int slots(int count) {
        return Integer.highestOneBit(count) == count ? count : Integer.highestOneBit(count) << 1;
    }

    /** The condition's right-hand side: {@code (:name0, :name1, …)}. */
    public String sql() {
        StringJoiner joined = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < slots(values.size()); i++) {
            joined.add(":" + name + i);
        }
        return joined.toString();
    }

    /** Each parameter with its value, for Panache's {@code list(query, Map)} and friends. */
    public Map<String, Object> parameters() {
        return putInto(new HashMap<>());
    }

    /** The query's other parameters, and these. */
    public Map<String, Object> parametersWith(Map<String, ?> others) {
        return putInto(new HashMap<>(others));
    }

    /** Adds each parameter and its value to the given ones; returns them. */
    public Map<String, Object> putInto(Map<String, Object> parameters) {
        for (int i = 0; i < slots(values.size()); i++) {
            parameters.put(name + i, values.get(Math.min(i, values.size() - 1)));
        }
        return parameters;
    }

    /** Binds each parameter on a JPA query; returns it. */
    public <Q extends Query> Q bind(Q query) {
        parameters().forEach(query::setParameter);
        return query;
    }
}
