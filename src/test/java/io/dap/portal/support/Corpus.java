package io.dap.portal.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bad-input corpus of src/test/resources/abuse/corpus.txt: values by section, with the file's
 * escapes resolved. Values are kept as bytes, so a section can hold invalid UTF-8 (\xHH).
 */
public final class Corpus {

    private static final Pattern REPEAT = Pattern.compile("<(\\d+)\\*([^>]*)>");

    private final Map<String, List<String>> sections;

    private Corpus(Map<String, List<String>> sections) {
        this.sections = sections;
    }

    public static Corpus load() {
        try (InputStream in = Corpus.class.getResourceAsStream("/abuse/corpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("abuse/corpus.txt is missing");
            }
            Map<String, List<String>> sections = new LinkedHashMap<>();
            String section = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                    sections.put(section, new ArrayList<>());
                    continue;
                }
                if (section == null) {
                    throw new IllegalStateException("a value before any section: " + line);
                }
                sections.get(section).add(line);
            }
            return new Corpus(sections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> lines(String section) {
        List<String> values = sections.get(section);
        if (values == null) {
            throw new IllegalArgumentException("no section " + section);
        }
        return values;
    }

    /** The values of a section as bytes: UTF-8, raw bytes for \\xHH, a lone surrogate as its three bytes. */
    public List<byte[]> bytes(String section) {
        return lines(section).stream().map(Corpus::decode).toList();
    }

    /** The values of a section as text; a lone surrogate (\\uD800) stays one. */
    public List<String> text(String section) {
        return lines(section).stream().map(line -> {
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            StringBuilder text = new StringBuilder();
            expandInto(line, text, ignored, true);
            return text.toString();
        }).toList();
    }

    /** Resolves <N*text>, <empty>, \\n \\r \\t \\0 \\\\ \\uXXXX (as UTF-8) and \\xHH (a raw byte). */
    static byte[] decode(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        expandInto(line, null, out, false);
        return out.toByteArray();
    }

    /** Into {@code text} (textMode: \\xHH is the character U+00HH) or into {@code out} as bytes. */
    private static void expandInto(String line, StringBuilder text, ByteArrayOutputStream out, boolean textMode) {
        if (line.equals("<empty>")) {
            return;
        }
        StringBuilder expanded = new StringBuilder();
        Matcher repeat = REPEAT.matcher(line);
        while (repeat.find()) {
            repeat.appendReplacement(expanded, Matcher.quoteReplacement(repeat.group(2).repeat(
                    Integer.parseInt(repeat.group(1)))));
        }
        repeat.appendTail(expanded);
        String value = expanded.toString();
        StringBuilder pending = textMode ? text : new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 >= value.length()) {
                pending.append(c);
                continue;
            }
            char next = value.charAt(++i);
            switch (next) {
                case 'n' -> pending.append('\n');
                case 'r' -> pending.append('\r');
                case 't' -> pending.append('\t');
                case '0' -> pending.append('\0');
                case '\\' -> pending.append('\\');
                case 'u' -> {
                    pending.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'x' -> {
                    int b = Integer.parseInt(value.substring(i + 1, i + 3), 16);
                    if (textMode) {
                        pending.append((char) b);
                    } else {
                        flush(pending, out);
                        out.write(b);
                    }
                    i += 2;
                }
                default -> pending.append('\\').append(next);
            }
        }
        if (!textMode) {
            flush(pending, out);
        }
    }

    /** Text as UTF-8; an unpaired surrogate is kept by writing it as the CESU-style three bytes. */
    private static void flush(StringBuilder pending, ByteArrayOutputStream out) {
        for (int i = 0; i < pending.length(); i++) {
            char c = pending.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < pending.length()
                    && Character.isLowSurrogate(pending.charAt(i + 1))) {
                out.writeBytes(pending.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        pending.setLength(0);
    }
}
