package dev.meridian.members.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One context of a kubeconfig, resolved and checked before anything is sent.
 *
 * <p>The hub reads kubeconfigs that users upload, so it accepts only self-contained credentials:
 * embedded certificates and keys, bearer tokens, basic auth. It refuses exec credential plugins
 * (they would run a command on the hub) and references to local files (they would read the hub's
 * files), each with a one-line reason. Environment variables and system properties that fabric8
 * would otherwise consult are ignored, so two hubs read a kubeconfig alike.
 */
record Kubeconfig(
    String context,
    String server,
    String namespace,
    String caData,
    boolean insecure,
    String token,
    String clientCertData,
    String clientKeyData,
    String username,
    String password) {

  static Kubeconfig parse(String cluster, String yaml, String contextName) {
    Reader r = new Reader(cluster);
    if (yaml == null || yaml.isBlank()) {
      throw r.fail("kubeconfig is empty");
    }
    ObjectNode root;
    try {
      root = ResourceCodec.readObject(yaml.getBytes(StandardCharsets.UTF_8), true);
    } catch (DecodeException e) {
      throw r.fail("kubeconfig is not valid YAML: " + e.getMessage());
    }
    String ctxName =
        contextName != null && !contextName.isBlank()
            ? contextName
            : root.path("current-context").asText("");
    List<String> known = names(root.path("contexts"));
    if (ctxName.isEmpty()) {
      throw r.fail("kubeconfig has no current-context; name one of its contexts " + known);
    }
    JsonNode ctx = named(root.path("contexts"), ctxName, "context");
    if (ctx == null) {
      throw r.fail("kubeconfig has no context \"" + ctxName + "\" (it has " + known + ")");
    }
    String clusterName = ctx.path("cluster").asText("");
    JsonNode cl = named(root.path("clusters"), clusterName, "cluster");
    if (clusterName.isEmpty() || cl == null) {
      throw r.fail(
          "kubeconfig context \""
              + ctxName
              + "\" names cluster \""
              + clusterName
              + "\", which the kubeconfig does not define");
    }
    String server = cl.path("server").asText("").trim();
    if (server.isEmpty()) {
      throw r.fail("kubeconfig cluster \"" + clusterName + "\" has no server");
    }
    checkServer(r, clusterName, server);
    r.noFile(cl, "certificate-authority", "cluster \"" + clusterName + "\"");
    String caData = r.base64(cl, "certificate-authority-data", "cluster \"" + clusterName + "\"");
    boolean insecure = cl.path("insecure-skip-tls-verify").asBoolean(false);

    String userName = ctx.path("user").asText("");
    JsonNode user = null;
    if (!userName.isEmpty()) {
      user = named(root.path("users"), userName, "user");
      if (user == null) {
        throw r.fail(
            "kubeconfig context \""
                + ctxName
                + "\" names user \""
                + userName
                + "\", which the kubeconfig does not define");
      }
    }
    String token = null;
    String cert = null;
    String key = null;
    String username = null;
    String password = null;
    if (user != null) {
      String where = "user \"" + userName + "\"";
      if (user.hasNonNull("exec")) {
        throw r.fail(
            "kubeconfig "
                + where
                + " uses an exec credential plugin, which the hub does not run; use a token or a"
                + " client certificate");
      }
      r.noFile(user, "client-certificate", where);
      r.noFile(user, "client-key", where);
      r.noFile(user, "tokenFile", where);
      token = text(user, "token");
      if (token == null && user.path("auth-provider").isObject()) {
        JsonNode cfg = user.path("auth-provider").path("config");
        token = cfg.hasNonNull("access-token") ? text(cfg, "access-token") : text(cfg, "id-token");
        if (token == null) {
          throw r.fail(
              "kubeconfig "
                  + where
                  + " uses an auth-provider without a token, which the hub cannot refresh");
        }
      }
      cert = r.base64(user, "client-certificate-data", where);
      key = r.base64(user, "client-key-data", where);
      if ((cert == null) != (key == null)) {
        throw r.fail(
            "kubeconfig "
                + where
                + " has "
                + (cert == null
                    ? "client-key-data without client-certificate-data"
                    : "client-certificate-data without client-key-data"));
      }
      username = text(user, "username");
      password = text(user, "password");
    }
    String ns = ctx.path("namespace").asText("");
    return new Kubeconfig(
        ctxName,
        server,
        ns.isEmpty() ? "default" : ns,
        caData,
        insecure,
        token,
        cert,
        key,
        username,
        password);
  }

  /** The fabric8 configuration: no auto-configuration, no retries (callers retry), our timeouts. */
  Config toConfig(MemberTimeouts timeouts) {
    ConfigBuilder b =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server)
            .withNamespace(namespace)
            .withTrustCerts(insecure)
            .withDisableHostnameVerification(insecure)
            .withConnectionTimeout(millis(timeouts.connect().toMillis()))
            .withRequestTimeout(millis(timeouts.request().toMillis()))
            // a controller retries on its next pass; fabric8's backoff would outlast our timeouts
            .withRequestRetryBackoffLimit(0)
            .withWatchReconnectInterval(1000)
            .withWatchReconnectLimit(-1);
    if (caData != null) {
      b.withCaCertData(caData);
    }
    if (token != null) {
      b.withOauthToken(token);
    }
    if (clientCertData != null) {
      b.withClientCertData(clientCertData)
          .withClientKeyData(clientKeyData)
          .withClientKeyAlgo(Config.getKeyAlgorithm(null, clientKeyData));
    }
    if (username != null) {
      b.withUsername(username).withPassword(password);
    }
    return b.build();
  }

  /** Never prints credentials. */
  @Override
  public String toString() {
    return "Kubeconfig[context="
        + context
        + ", server="
        + server
        + ", namespace="
        + namespace
        + "]";
  }

  private static int millis(long ms) {
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static void checkServer(Reader r, String clusterName, String server) {
    try {
      URI uri = new URI(server);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw r.fail(
            "kubeconfig cluster \""
                + clusterName
                + "\" has server \""
                + server
                + "\", which is not an http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw r.fail(
          "kubeconfig cluster \"" + clusterName + "\" has an invalid server URL: " + e.getReason());
    }
  }

  private static JsonNode named(JsonNode list, String name, String field) {
    if (!list.isArray()) {
      return null;
    }
    for (JsonNode n : list) {
      if (name.equals(n.path("name").asText(null))) {
        JsonNode v = n.path(field);
        return v.isObject() ? v : null;
      }
    }
    return null;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(n.path("name").asText(""));
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    String v = node.path(field).asText("");
    return v.isEmpty() ? null : v;
  }

  /** Collects the cluster name for errors. */
  private record Reader(String cluster) {
    MemberException fail(String reason) {
      return MemberException.configuration(cluster, reason);
    }

    void noFile(JsonNode node, String field, String where) {
      if (node.hasNonNull(field) && !node.path(field).asText("").isEmpty()) {
        throw fail(
            "kubeconfig "
                + where
                + " refers to the local file "
                + field
                + "; embed the data instead ("
                + (field.equals("tokenFile") ? "token" : field + "-data")
                + ")");
      }
    }

    String base64(JsonNode node, String field, String where) {
      String v = text(node, field);
      if (v == null) {
        return null;
      }
      try {
        Base64.getDecoder().decode(v.replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        throw fail("kubeconfig " + where + " has " + field + " that is not valid base64");
      }
      return v;
    }
  }
}
