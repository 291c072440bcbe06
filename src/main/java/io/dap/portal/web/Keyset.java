package io.dap.portal.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One page of a list sorted newest first by (time, id), reached with "newer" and "older" links
 * that carry the position of the page's first or last row instead of a page number. The database
 * starts reading at that position in its index, so a page far down the list costs what the first
 * one does and nothing counts the rows.
 */
public record Keyset<T>(List<T> items, Position newer, Position older) {

    /** Where a page starts: the time and id of a row, written {@code <microseconds since 1970>-<id>} in links. */
    public record Position(Instant at, long id) {

        public static Position of(Instant at, long id) {
            return new Position(at, id);
        }

        /** A position from a link; anything unreadable is no position (the newest page). */
        public static Optional<Position> parse(String raw) {
            if (raw == null || raw.length() > 40) {
                return Optional.empty();
            }
            int dash = raw.indexOf('-', 1);
            try {
                long micros = Long.parseLong(raw.substring(0, dash));
                long id = Long.parseLong(raw.substring(dash + 1));
                return Optional.of(new Position(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                        Math.floorMod(micros, 1_000_000) * 1_000L), id));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        public String text() {
            return (at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000) + "-" + id;
        }
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public boolean hasNewer() {
        return newer != null;
    }

    public boolean hasOlder() {
        return older != null;
    }

    /** The link parameters of the newer and older pages. */
    public String newerQuery() {
        return newer == null ? "" : "newer=" + newer.text();
    }

    public String olderQuery() {
        return older == null ? "" : "older=" + older.text();
    }
}
