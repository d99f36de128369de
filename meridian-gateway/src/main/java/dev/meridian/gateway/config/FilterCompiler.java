package dev.meridian.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.gateway.RouteDecision.Header;
import dev.meridian.gateway.RouteDecision.HeaderEdits;
import dev.meridian.gateway.routing.PathRewrite;
import dev.meridian.gateway.routing.Redirect;
import java.util.ArrayList;
import java.util.List;

/** A rule's {@code filters}, read in order into what the decision carries. */
final class FilterCompiler {

  HeaderEdits request = HeaderEdits.NONE;
  HeaderEdits response = HeaderEdits.NONE;
  Redirect redirect;
  String rewriteHostname;
  PathRewrite rewritePath;
  JsonNode mirrorRef;
  int mirrorPercent;

  FilterCompiler(List<JsonNode> filters, int listenPort) {
    for (JsonNode f : filters) {
      String type = Fields.required(f, "type");
      switch (type) {
        case "RequestHeaderModifier" ->
            request = merge(request, headerEdits(Fields.object(f, "requestHeaderModifier")));
        case "ResponseHeaderModifier" ->
            response = merge(response, headerEdits(Fields.object(f, "responseHeaderModifier")));
        case "RequestRedirect" ->
            redirect = redirect(Fields.object(f, "requestRedirect"), listenPort);
        case "URLRewrite" -> {
          JsonNode u = Fields.object(f, "urlRewrite");
          rewriteHostname = Fields.text(u, "hostname", null);
          rewritePath = pathModifier(u);
        }
        case "RequestMirror" -> {
          JsonNode m = Fields.object(f, "requestMirror");
          mirrorRef = Fields.object(m, "backendRef");
          if (mirrorRef.isMissingNode()) {
            throw new IllegalArgumentException("requestMirror.backendRef: required");
          }
          mirrorPercent = Fields.integer(m, "percent", 100);
          if (mirrorPercent < 0 || mirrorPercent > 100) {
            throw new IllegalArgumentException("requestMirror.percent: must be in [0, 100]");
          }
        }
        default -> throw new IllegalArgumentException("unknown filter type: " + type);
      }
    }
  }

  private static Redirect redirect(JsonNode r, int listenPort) {
    int status = Fields.integer(r, "statusCode", 302);
    if (status < 300 || status > 399) {
      throw new IllegalArgumentException("requestRedirect.statusCode: not a redirect: " + status);
    }
    String scheme = Fields.text(r, "scheme", null);
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("requestRedirect.scheme: http or https: " + scheme);
    }
    return new Redirect(
        scheme,
        Fields.text(r, "hostname", null),
        Fields.integer(r, "port", 0),
        pathModifier(r),
        status,
        listenPort);
  }

  private static PathRewrite pathModifier(JsonNode parent) {
    JsonNode p = Fields.object(parent, "path");
    if (p.isMissingNode()) {
      return null;
    }
    String type = Fields.required(p, "type");
    PathRewrite rewrite =
        PathRewrite.of(
            type,
            Fields.text(p, "replaceFullPath", null),
            Fields.text(p, "replacePrefixMatch", null));
    if (rewrite.value() == null || !rewrite.value().startsWith("/")) {
      throw new IllegalArgumentException(type + ": a path starting with / is required");
    }
    return rewrite;
  }

  private static HeaderEdits headerEdits(JsonNode m) {
    return new HeaderEdits(headers(m, "set"), headers(m, "add"), Fields.strings(m, "remove"));
  }

  private static List<Header> headers(JsonNode m, String field) {
    List<Header> l = new ArrayList<>();
    for (JsonNode h : Fields.list(m, field)) {
      l.add(new Header(Fields.required(h, "name"), Fields.text(h, "value", "")));
    }
    return List.copyOf(l);
  }

  private static HeaderEdits merge(HeaderEdits a, HeaderEdits b) {
    if (a.isEmpty()) {
      return b;
    }
    List<Header> set = new ArrayList<>(a.set());
    set.addAll(b.set());
    List<Header> add = new ArrayList<>(a.add());
    add.addAll(b.add());
    List<String> remove = new ArrayList<>(a.remove());
    remove.addAll(b.remove());
    return new HeaderEdits(List.copyOf(set), List.copyOf(add), List.copyOf(remove));
  }
}
