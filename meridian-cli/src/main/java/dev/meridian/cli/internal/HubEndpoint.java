package dev.meridian.cli.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the hub is and how to authenticate to it.
 *
 * @param url base URL without a trailing slash, e.g. {@code https://127.0.0.1:7800}
 * @param token bearer token, if one was given
 * @param caFile PEM certificates to trust for an {@code https} hub instead of the JVM's defaults
 */
public record HubEndpoint(String url, Optional<String> token, Optional<Path> caFile) {
  public static final String ENV_HUB = "MERIDIAN_HUB";
  public static final String ENV_TOKEN = "MERIDIAN_TOKEN";
  public static final String ENV_TOKEN_FILE = "MERIDIAN_TOKEN_FILE";
  public static final String ENV_CA_FILE = "MERIDIAN_CA_FILE";
  public static final String DEFAULT_URL = "https://127.0.0.1:7800";

  /** What the hub writes beside {@code admin.token}: the CA that signs its serving certificate. */
  static final String HUB_CA_FILE_NAME = "ca.crt";

  /**
   * Resolves the flags and environment. The hub URL comes from {@code --hub}, then {@code
   * MERIDIAN_HUB}, then the default. The token comes from {@code --token-file}, then {@code
   * MERIDIAN_TOKEN}, then {@code MERIDIAN_TOKEN_FILE}: an explicit flag always wins, and a token
   * given directly wins over a file named in the environment.
   *
   * <p>The CA comes from {@code --ca-file}, then {@code MERIDIAN_CA_FILE}, then the {@code ca.crt}
   * beside the token file, where the hub writes it next to {@code admin.token}.
   */
  public static HubEndpoint resolve(
      String hubFlag, Path tokenFileFlag, Path caFileFlag, CliContext ctx) {
    String url = hubFlag != null ? hubFlag : ctx.env(ENV_HUB);
    Optional<String> token;
    Path tokenFile = null;
    if (tokenFileFlag != null) {
      tokenFile = tokenFileFlag;
      token = Optional.of(readToken(tokenFile));
    } else if (ctx.env(ENV_TOKEN) != null) {
      token = Optional.of(checkToken(ctx.env(ENV_TOKEN).strip(), ENV_TOKEN));
    } else if (ctx.env(ENV_TOKEN_FILE) != null) {
      tokenFile = Path.of(ctx.env(ENV_TOKEN_FILE));
      token = Optional.of(readToken(tokenFile));
    } else {
      token = Optional.empty();
    }
    Optional<Path> ca;
    if (caFileFlag != null) {
      ca = Optional.of(caFileFlag);
    } else if (ctx.env(ENV_CA_FILE) != null) {
      ca = Optional.of(Path.of(ctx.env(ENV_CA_FILE)));
    } else {
      ca =
          Optional.ofNullable(tokenFile)
              .map(f -> f.toAbsolutePath().resolveSibling(HUB_CA_FILE_NAME))
              .filter(Files::isRegularFile);
    }
    String base = normalize(url == null ? DEFAULT_URL : url);
    URI uri = URI.create(base);
    if (token.isPresent()
        && uri.getScheme().equalsIgnoreCase("http")
        && !isLoopback(uri.getHost())) {
      // anyone on the path could read the token and act as its owner
      throw new CliException(
          "refusing to send the token over plain HTTP to " + uri.getHost() + "; use https://");
    }
    return new HubEndpoint(base, token, ca);
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  static String normalize(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new CliException("invalid hub URL \"" + url + "\": " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new CliException(
          "invalid hub URL \"" + url + "\": expected http://HOST:PORT or https://HOST:PORT");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
      throw new CliException(
          "invalid hub URL \"" + url + "\": it may not carry a query, fragment or user");
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String readToken(Path file) {
    byte[] bytes = UserFiles.read("token file ", file);
    String token = new String(bytes, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new CliException("token file " + file + " is empty");
    }
    return checkToken(token, "token file " + file);
  }

  private static String checkToken(String token, String source) {
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      // a header value with a line break would split the request; never echo the token itself
      throw new CliException(source + " does not hold a single printable token");
    }
    return token;
  }

  @Override
  public String toString() {
    return "HubEndpoint["
        + url
        + (token.isPresent() ? ", token=***" : "")
        + caFile.map(f -> ", ca=" + f).orElse("")
        + "]";
  }
}
