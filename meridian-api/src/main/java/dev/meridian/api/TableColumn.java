package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * A column of the table {@code get} prints for a kind.
 *
 * @param name as kubectl's {@code columnDefinitions} name it ({@code Fully Applied}); the CLI
 *     prints it upper-cased, as kubectl does
 * @param description what the cell says
 * @param wide shown with {@code -o wide} only (priority 1 in a server-side Table)
 * @param cell the cell of one object
 */
public record TableColumn(
    String name, String description, boolean wide, Function<JsonNode, String> cell) {}
