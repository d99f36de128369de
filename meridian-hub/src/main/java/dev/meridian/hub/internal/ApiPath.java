package dev.meridian.hub.internal;

import dev.meridian.hub.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Kubernetes REST path: {@code /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]} or {@code
 * /apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME[/SUB]]}. Namespaces themselves are {@code
 * /api/v1/namespaces[/NAME[/status]]}.
 */
public record ApiPath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  /** Parses a resource path; returns null for paths that are not resource paths. */
  public static ApiPath parse(String path) {
    List<String> seg = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        seg.add(s);
      }
    }
    int i;
    String group;
    String version;
    if (seg.size() >= 3 && seg.get(0).equals("api")) {
      group = "";
      version = seg.get(1);
      i = 2;
    } else if (seg.size() >= 4 && seg.get(0).equals("apis")) {
      group = seg.get(1);
      version = seg.get(2);
      i = 3;
    } else {
      return null;
    }
    List<String> rest = seg.subList(i, seg.size());
    String ns = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      ns = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    return new ApiPath(
        group,
        version,
        ns,
        rest.get(0),
        rest.size() > 1 ? rest.get(1) : "",
        rest.size() > 2 ? rest.get(2) : "");
  }
}
