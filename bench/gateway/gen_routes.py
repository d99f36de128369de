#!/usr/bin/env python3
"""Writes the GlobalRoutes file that `meridian gateway --routes FILE` reads (docs/gateway.md):
one YAML document per GlobalRoute, each with one rule and one `kind: Static` backendRef.

  gen_routes.py --port BACKEND_PORT --out FILE [--routes 1] [--endpoints 1] [--host HOST]

--routes 1:     one route, hostname HOST (default bench.meridian.test), --endpoints endpoints.
--routes N > 1: N routes named r0000..., hostnames rNNNN.bench.meridian.test, the --endpoints
                spread evenly over them (10,000 over 1,000: 10 each). Every endpoint is
                127.0.0.1:BACKEND_PORT (the live backend), told apart by its cluster name
                (c-<route>-<i>) and spread over 3 regions, so that whichever route is loaded,
                all of its endpoints answer. Prints the hostname of the middle route.
"""
import argparse

REGIONS = ["eu-west", "us-east", "ap-south"]


def route(name, host, port, n_endpoints, route_index):
    eps = []
    for i in range(n_endpoints):
        eps.append(
            "        - {address: 127.0.0.1, port: %d, cluster: c-%04d-%02d, region: %s, weight: 1}"
            % (port, route_index, i, REGIONS[i % len(REGIONS)]))
    return "\n".join([
        "apiVersion: network.meridian.dev/v1alpha1",
        "kind: GlobalRoute",
        "metadata: {name: %s, namespace: bench}" % name,
        "spec:",
        "  hostnames: [%s]" % host,
        "  rules:",
        "  - name: all",
        "    matches:",
        "    - path: {type: PathPrefix, value: /}",
        "    backendRefs:",
        "    - kind: Static",
        "      name: backend",
        "      weight: 1",
        "      endpoints:",
    ] + eps + [
        "  loadBalancing: {policy: RoundRobin, locality: None}",
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--routes", type=int, default=1)
    ap.add_argument("--endpoints", type=int, default=1)
    ap.add_argument("--host", default="bench.meridian.test")
    a = ap.parse_args()
    docs = []
    if a.routes == 1:
        docs.append(route("bench", a.host, a.port, a.endpoints, 0))
        loaded = a.host
    else:
        per, extra = divmod(a.endpoints, a.routes)
        for r in range(a.routes):
            n = per + (1 if r < extra else 0)
            docs.append(route("r%04d" % r, "r%04d.bench.meridian.test" % r, a.port, max(n, 1), r))
        loaded = "r%04d.bench.meridian.test" % (a.routes // 2)
    with open(a.out, "w") as f:
        f.write("\n---\n".join(docs) + "\n")
    print(loaded)


if __name__ == "__main__":
    main()
