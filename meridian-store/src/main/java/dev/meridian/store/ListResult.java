package dev.meridian.store;

import java.util.List;

/** Keys under a prefix as of {@code revision}. */
public record ListResult(List<KeyValue> items, long revision) {}
