package dev.meridian.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RetryBudget;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.RouteDecision.Limits;
import dev.meridian.gateway.RouteDecision.Mirror;
import dev.meridian.gateway.RouteDecision.RequestEdits;
import dev.meridian.gateway.RouteDecision.RetryPolicy;
import dev.meridian.gateway.RouteDecision.RouteRef;
import dev.meridian.gateway.RouteDecision.Timeouts;
import dev.meridian.gateway.balancing.BackendPool;
import dev.meridian.gateway.balancing.ClientLocator;
import dev.meridian.gateway.balancing.Residency;
import dev.meridian.gateway.balancing.RuleBackends;
import dev.meridian.gateway.balancing.StickySessions;
import dev.meridian.gateway.health.HealthCheckSettings;
import dev.meridian.gateway.health.HealthTarget;
import dev.meridian.gateway.health.OutlierSettings;
import dev.meridian.gateway.routing.CompiledRule;
import dev.meridian.gateway.routing.PathMatch;
import dev.meridian.gateway.routing.RateLimiter;
import dev.meridian.gateway.routing.RouteMatch;
import dev.meridian.gateway.routing.Router;
import dev.meridian.gateway.routing.SlidingRetryBudget;
import dev.meridian.gateway.routing.TokenBucket;
import dev.meridian.gateway.routing.ValueMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Compiles the hub's {@code GlobalRoute}s (as in {@code docs/gateway.md}) into one {@link
 * CompiledTable}: the spec for matching and policy, the status for endpoints. A route that does not
 * compile is left out whole and named in {@link CompiledTable#problems()}. Stateless and
 * thread-safe; the long-lived state is the context's {@code EndpointStates}.
 */
public final class RouteCompiler {

  static final List<Integer> DEFAULT_RETRY_CODES = List.of(502, 503, 504);
  static final int DEFAULT_RETRY_ATTEMPTS = 2;
  static final int DEFAULT_BUDGET_PERCENT = 20;
  static final int DEFAULT_BUDGET_MIN_PER_SECOND = 10;

  public CompiledTable compile(Collection<ObjectNode> globalRoutes, CompileContext ctx) {
    List<ObjectNode> sorted = new ArrayList<>(globalRoutes);
    sorted.sort(Comparator.comparing(RouteCompiler::id));
    ClientLocator locator =
        new ClientLocator(ctx.clientRegionHeader(), ctx.clientCidrs(), ctx.region());
    Router.Builder router = Router.builder();
    List<String> compiled = new ArrayList<>();
    List<HealthTarget> targets = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ObjectNode route : sorted) {
      if (!servedHere(route, ctx.gatewayName())) {
        continue;
      }
      Compiled c;
      try {
        c = compileRoute(route, ctx, locator);
      } catch (RuntimeException e) {
        problems.add(id(route) + ": " + e.getMessage());
        continue;
      }
      c.backends.commit();
      router.add(c.hostnames, c.matches);
      targets.addAll(c.targets);
      compiled.add(id(route));
    }
    ctx.states().forgetUnused();
    return new CompiledTable(router.build(), compiled, targets, problems);
  }

  private record Compiled(
      List<String> hostnames,
      List<RouteMatch> matches,
      List<HealthTarget> targets,
      BackendCompiler backends) {}

  private static String id(JsonNode route) {
    return Meta.namespace(route) + "/" + Meta.name(route);
  }

  private static boolean servedHere(JsonNode route, String gateway) {
    JsonNode spec = route.path("spec");
    if (!Fields.present(spec, "gateways")) {
      return true;
    }
    return gateway != null && Fields.strings(spec, "gateways").contains(gateway);
  }

  private Compiled compileRoute(ObjectNode route, CompileContext ctx, ClientLocator locator) {
    String namespace = Meta.namespace(route);
    String name = Meta.name(route);
    if (namespace == null || name == null) {
      throw new IllegalArgumentException("metadata.namespace and metadata.name are required");
    }
    String created = Fields.text(route.path("metadata"), "creationTimestamp", null);
    Instant createdAt = created == null ? Instant.MAX : Instant.parse(created);
    JsonNode spec = Fields.object(route, "spec");
    JsonNode status = Fields.object(route, "status");
    LongSupplier clock = ctx.states()::nanoTime;

    List<String> hostnames = new ArrayList<>();
    for (String h : Fields.strings(spec, "hostnames")) {
      hostnames.add(h.toLowerCase(Locale.ROOT));
    }
    JsonNode lb = Fields.object(spec, "loadBalancing");
    String policy = Fields.text(lb, "policy", "RoundRobin");
    String locality = Fields.text(lb, "locality", "PreferClient");
    ClientLocator routeLocator =
        switch (locality) {
          case "PreferClient" -> locator;
          case "None" -> null;
          default -> throw new IllegalArgumentException("unknown locality: " + locality);
        };
    StickySessions sticky = sticky(Fields.object(lb, "sessionPersistence"));
    Residency residency = residency(Fields.object(spec, "residency"), status);
    HealthCheckSettings health = healthCheck(spec);
    OutlierSettings outlier = outlier(Fields.object(spec, "outlierDetection"));
    JsonNode cb = Fields.object(spec, "circuitBreaker");
    Limits limits =
        new Limits(
            Fields.integer(cb, "maxConnections", Limits.DEFAULT.maxConnections()),
            Fields.integer(cb, "maxPendingRequests", Limits.DEFAULT.maxPendingRequests()));
    RateLimiter limiter = rateLimiter(Fields.object(spec, "rateLimit"), ctx, clock);
    JsonNode rb = Fields.object(spec, "retryBudget");
    RetryBudget budget =
        new SlidingRetryBudget(
            Fields.integer(rb, "percent", DEFAULT_BUDGET_PERCENT),
            Fields.integer(rb, "minPerSecond", DEFAULT_BUDGET_MIN_PER_SECOND),
            clock);
    BackendCompiler backends =
        new BackendCompiler(namespace, status, policy, outlier, ctx.states());

    List<RouteMatch> matches = new ArrayList<>();
    Set<String> ruleNames = new HashSet<>();
    List<JsonNode> rules = Fields.list(spec, "rules");
    for (int r = 0; r < rules.size(); r++) {
      JsonNode rule = rules.get(r);
      String ruleName = Fields.text(rule, "name", Integer.toString(r));
      if (!ruleNames.add(ruleName)) {
        throw new IllegalArgumentException("rules: duplicate name " + ruleName);
      }
      RouteRef ref = new RouteRef(namespace, name, ruleName);
      FilterCompiler filters = new FilterCompiler(Fields.list(rule, "filters"), ctx.listenPort());
      CompiledRule compiled;
      if (filters.redirect != null) {
        compiled = CompiledRule.redirect(ref, limiter, filters.redirect);
      } else {
        List<BackendPool> pools = new ArrayList<>();
        for (JsonNode b : Fields.list(rule, "backendRefs")) {
          pools.add(backends.pool(b));
        }
        RuleBackends selector = new RuleBackends(pools, routeLocator, residency, sticky, clock);
        if (!selector.hasWeight()) {
          compiled =
              CompiledRule.fixed(
                  ref,
                  limiter,
                  new RouteDecision.Respond(500, List.of(), "no backend for this rule\n"));
        } else {
          Mirror mirror = null;
          if (filters.mirrorRef != null) {
            RuleBackends m =
                new RuleBackends(
                    List.of(backends.pool(filters.mirrorRef)),
                    routeLocator,
                    residency,
                    null,
                    clock);
            mirror = new Mirror(m, filters.mirrorPercent);
          }
          boolean fullPath = filters.rewritePath != null && filters.rewritePath.fullPath();
          Forward forward =
              new Forward(
                  ref,
                  new RequestEdits(
                      filters.request,
                      filters.rewriteHostname,
                      fullPath ? filters.rewritePath.value() : null),
                  filters.response,
                  selector,
                  mirror,
                  timeouts(Fields.object(rule, "timeouts")),
                  retry(Fields.object(rule, "retry"), budget),
                  limits);
          compiled =
              filters.rewritePath == null || fullPath
                  ? CompiledRule.fixed(ref, limiter, forward)
                  : CompiledRule.rewriting(ref, limiter, forward, filters.rewritePath);
        }
      }
      List<JsonNode> ms = Fields.list(rule, "matches");
      if (ms.isEmpty()) {
        matches.add(
            new RouteMatch(
                PathMatch.ANY,
                null,
                List.of(),
                List.of(),
                compiled,
                createdAt,
                namespace,
                name,
                r,
                0));
      }
      for (int i = 0; i < ms.size(); i++) {
        matches.add(match(ms.get(i), compiled, createdAt, namespace, name, r, i));
      }
    }
    List<HealthTarget> targets = new ArrayList<>();
    if (health != null) {
      for (Endpoint e : backends.endpoints()) {
        targets.add(new HealthTarget(e, health));
      }
    }
    return new Compiled(hostnames, matches, targets, backends);
  }

  private static RouteMatch match(
      JsonNode m,
      CompiledRule rule,
      Instant created,
      String namespace,
      String name,
      int ruleIndex,
      int matchIndex) {
    JsonNode p = Fields.object(m, "path");
    PathMatch path = PathMatch.of(Fields.text(p, "type", null), Fields.text(p, "value", "/"));
    List<ValueMatch> headers = new ArrayList<>();
    for (JsonNode h : Fields.list(m, "headers")) {
      headers.add(
          ValueMatch.of(
              Fields.text(h, "type", null),
              Fields.required(h, "name"),
              Fields.required(h, "value")));
    }
    List<ValueMatch> query = new ArrayList<>();
    for (JsonNode q : Fields.list(m, "queryParams")) {
      query.add(
          ValueMatch.of(
              Fields.text(q, "type", null),
              Fields.required(q, "name"),
              Fields.text(q, "value", "")));
    }
    String method = Fields.text(m, "method", null);
    return new RouteMatch(
        path,
        method == null ? null : method.toUpperCase(Locale.ROOT),
        List.copyOf(headers),
        List.copyOf(query),
        rule,
        created,
        namespace,
        name,
        ruleIndex,
        matchIndex);
  }

  private static StickySessions sticky(JsonNode sp) {
    if (sp.isMissingNode()) {
      return null;
    }
    String type = Fields.text(sp, "type", "Cookie");
    if (!type.equals("Cookie")) {
      throw new IllegalArgumentException("sessionPersistence.type: only Cookie is supported");
    }
    return new StickySessions(
        Fields.text(sp, "cookieName", StickySessions.DEFAULT_COOKIE),
        Fields.duration(sp, "absoluteTimeout", null));
  }

  private static Residency residency(JsonNode r, JsonNode status) {
    if (r.isMissingNode()) {
      return null;
    }
    Map<String, Set<String>> resolved = new HashMap<>();
    for (JsonNode s : Fields.list(status, "residency")) {
      resolved.put(Fields.required(s, "value"), Set.copyOf(Fields.strings(s, "allowedClusters")));
    }
    Map<String, Set<String>> allowed = new HashMap<>();
    for (JsonNode p : Fields.list(r, "policies")) {
      String value = Fields.required(p, "value");
      // a rule the hub has not resolved yet pins to nothing: refusing beats leaking
      allowed.put(value, resolved.getOrDefault(value, Set.of()));
    }
    return new Residency(Fields.required(r, "header"), Map.copyOf(allowed));
  }

  private static HealthCheckSettings healthCheck(JsonNode spec) {
    if (!Fields.present(spec, "healthCheck")) {
      return null;
    }
    JsonNode h = Fields.object(spec, "healthCheck");
    HealthCheckSettings d = HealthCheckSettings.DEFAULT;
    return new HealthCheckSettings(
        Fields.text(h, "path", d.path()),
        Fields.duration(h, "interval", d.interval()),
        Fields.duration(h, "timeout", d.timeout()),
        Fields.integer(h, "unhealthyThreshold", d.unhealthyThreshold()),
        Fields.integer(h, "healthyThreshold", d.healthyThreshold()));
  }

  private static OutlierSettings outlier(JsonNode o) {
    OutlierSettings d = OutlierSettings.DEFAULT;
    return new OutlierSettings(
        Fields.integer(o, "consecutiveFailures", d.consecutiveFailures()),
        Fields.duration(o, "baseEjectionTime", d.baseEjectionTime()),
        Fields.duration(o, "maxEjectionTime", d.maxEjectionTime()),
        Fields.integer(o, "maxEjectionPercent", d.maxEjectionPercent()));
  }

  private static RateLimiter rateLimiter(JsonNode rl, CompileContext ctx, LongSupplier clock) {
    TokenBucket route = bucket(Fields.object(rl, "perRoute"));
    TokenBucket client = bucket(Fields.object(rl, "perClient"));
    if (route == null && client == null) {
      return null;
    }
    return new RateLimiter(route, client, ctx.maxRateLimitClients(), clock);
  }

  private static TokenBucket bucket(JsonNode b) {
    if (b.isMissingNode()) {
      return null;
    }
    double rps = Fields.number(b, "requestsPerSecond", 0);
    int burst = Fields.integer(b, "burst", (int) Math.max(1, Math.ceil(rps)));
    return new TokenBucket(rps, burst);
  }

  private static Timeouts timeouts(JsonNode t) {
    Duration request = Fields.duration(t, "request", Timeouts.DEFAULT.request());
    Duration backend = Fields.duration(t, "backendRequest", null);
    return new Timeouts(zeroIsNone(request), zeroIsNone(backend));
  }

  private static Duration zeroIsNone(Duration d) {
    return d == null || d.isZero() ? null : d;
  }

  private static RetryPolicy retry(JsonNode r, RetryBudget budget) {
    int attempts = Fields.integer(r, "attempts", DEFAULT_RETRY_ATTEMPTS);
    if (attempts < 1) {
      throw new IllegalArgumentException("retry.attempts: must be >= 1");
    }
    List<Integer> codes = new ArrayList<>();
    for (JsonNode c : Fields.list(r, "codes")) {
      codes.add(c.asInt());
    }
    return new RetryPolicy(
        attempts,
        codes.isEmpty() && !Fields.present(r, "codes") ? DEFAULT_RETRY_CODES : List.copyOf(codes),
        budget);
  }
}
