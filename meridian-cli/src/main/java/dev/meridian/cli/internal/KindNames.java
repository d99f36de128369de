package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.Iterator;
import java.util.TreeSet;

/** Shell completion candidates for a KIND argument: the built-in kinds' plurals and short names. */
public final class KindNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    TreeSet<String> names = new TreeSet<>();
    for (ResourceType t : ResourceTypes.standard().all()) {
      names.add(t.plural());
      names.addAll(t.shortNames());
    }
    return names.iterator();
  }
}
