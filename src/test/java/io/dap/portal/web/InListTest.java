package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class InListTest {

    @Test
    void lengthsRoundUpToAPowerOfTwoSoAQueryHasAFewShapes() {
        assertEquals(List.of(1, 2, 4, 4, 8, 8, 8, 8, 16), Stream.of(1, 2, 3, 4, 5, 6, 7, 8, 9).map(InList::slots).toList());
        assertEquals("(:id0, :id1, :id2, :id3)", InList.of("id", List.of(7L, 8L, 9L)).sql());
        assertEquals("(:id0)", InList.of("id", List.of(7L)).sql());
    }

    @Test
    void theLastValueFillsTheSpareParametersWhichChangesNothingInAnIn() {
        assertEquals(Map.of("id0", 7L, "id1", 8L, "id2", 9L, "id3", 9L), InList.of("id", List.of(7L, 8L, 9L)).parameters());
    }

    @Test
    void anEmptyListIsRefusedRatherThanWrittenAsAConditionNoRowMeets() {
        assertThrows(IllegalArgumentException.class, () -> InList.of("id", List.of()));
    }

    /** A list-valued parameter makes Hibernate translate the query on every run: none in the portal's code. */
    @Test
    void noQueryOfThePortalBindsAListToOneParameter() throws IOException {
        Pattern literal = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
        Pattern listParameter = Pattern.compile("(?i)\\bin [:?]\\w");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher strings = literal.matcher(lines.get(i));
                    while (strings.find()) {
                        if (listParameter.matcher(strings.group()).find()) {
                            found.add(file + ":" + (i + 1) + " " + strings.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "write IN conditions with web/InList");
    }
}
