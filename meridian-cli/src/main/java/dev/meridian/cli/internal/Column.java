package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** A column of {@code get}'s table: its upper-case header and how to compute a cell. */
public record Column(String header, Function<JsonNode, String> value) {}
