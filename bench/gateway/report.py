#!/usr/bin/env python3
"""Prints the gateway bench's table from the row files run.sh writes (key=value lines: wrk's
figures from wrk-report.lua, /proc readings from proc_sample.py).

  report.py --row FILE                      one line for one row (printed as the run goes)
  report.py [--header FILE] ROWFILE...      the table, Meridian's ratios to each peer, targets
"""
import argparse
import sys

PEERS = ["nginx", "haproxy", "traefik", "caddy"]
LABEL = {
    "direct": "direct (no proxy)",
    "meridian": "Meridian gateway",
    "nginx": "nginx",
    "haproxy": "HAProxy",
    "traefik": "Traefik",
    "caddy": "Caddy",
    "large": "Meridian, 1k routes",
}
MIB = 1024 * 1024


def load(path):
    d = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line:
                k, v = line.split("=", 1)
                d[k] = v
    for k, v in list(d.items()):
        try:
            d[k] = float(v)
        except ValueError:
            pass
    if "requests" in d and d.get("duration_us"):
        d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
        d["sock_err"] = sum(d.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_timeout"))
        d["non2xx"] = d.get("err_status", 0)
        if d.get("elapsed_s"):
            e = d["elapsed_s"]
            d["proxy_cores"] = d.get("proxy_cpu_s", 0) / e
            d["backend_cores"] = d.get("backend_cpu_s", 0) / e
            d["busy_cores"] = d.get("machine_busy_cpu_s", 0) / e
        if d["requests"]:
            d["cpu_per_100k"] = d.get("proxy_cpu_s", 0) / d["requests"] * 1e5
            d["user_cpu_per_100k"] = d.get("proxy_user_cpu_s", 0) / d["requests"] * 1e5
            d["backend_cpu_per_100k"] = d.get("backend_cpu_s", 0) / d["requests"] * 1e5
    return d


def ms(us):
    return "%.2f" % (us / 1000.0)


def label(d):
    lab = LABEL.get(d["row"], d["row"])
    if d["row"] == "large" and "routes" in d:
        lab = "Meridian, %dk routes" % (d["routes"] / 1000) if d["routes"] >= 1000 else \
            "Meridian, %d routes" % d["routes"]
    return lab


def row_line(d):
    if "skipped" in d:
        return "%-22s skipped: %s" % (label(d), d["skipped"])
    if "rps" not in d:
        return "%-22s no result (wrk printed nothing parsable: see its .wrk.txt)" % label(d)
    s = "%-22s %9.0f req/s  p50 %s  p99 %s  p99.9 %s ms  non-2xx %d  sock-err %d" % (
        label(d), d["rps"], ms(d["lat_p50_us"]), ms(d["lat_p99_us"]), ms(d["lat_p999_us"]),
        d["non2xx"], d["sock_err"])
    if "cpu_per_100k" in d:
        s += "  cpu %.2f s/100k" % d["cpu_per_100k"]
    if d.get("peak_rss_bytes"):
        s += "  rss %.0f MiB" % (d["peak_rss_bytes"] / MIB)
    return s


def table(rows):
    head = ["row", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "non-2xx", "sock err",
            "CPU s/100k", "user s/100k", "cores", "peak RSS MiB", "PSS MiB", "backend cores", "busy cores"]
    out = []
    for d in rows:
        if "skipped" in d or "rps" not in d:
            out.append([label(d), "skipped" if "skipped" in d else "no result"] + [""] * (len(head) - 2))
            continue
        direct = d["row"] == "direct"
        out.append([
            label(d),
            "%.0f" % d["rps"],
            ms(d["lat_p50_us"]), ms(d["lat_p99_us"]), ms(d["lat_p999_us"]),
            "%d" % d["non2xx"], "%d" % d["sock_err"],
            # direct: the process measured is the backend itself
            ("(%.2f)" if direct else "%.2f") % d.get("cpu_per_100k", 0),
            ("(%.2f)" if direct else "%.2f") % d.get("user_cpu_per_100k", 0),
            ("(%.2f)" if direct else "%.2f") % d.get("proxy_cores", 0),
            "%.1f" % (d.get("peak_rss_bytes", 0) / MIB),
            "%.1f" % (d.get("peak_pss_bytes", 0) / MIB),
            "%.2f" % d.get("backend_cores", 0),
            "%.2f" % d.get("busy_cores", 0),
        ])
    widths = [max(len(str(r[i])) for r in [head] + out) for i in range(len(head))]
    lines = ["  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(head, widths)))]
    for r in out:
        lines.append("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)


def ok(d):
    return d is not None and "rps" in d and "skipped" not in d


def clean(d):
    return ok(d) and d["non2xx"] == 0 and d["sock_err"] == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--row")
    ap.add_argument("--header")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if a.row:
        print(row_line(load(a.row)))
        return 0
    rows = [load(f) for f in a.files]
    by = {d["row"]: d for d in rows}
    if a.header:
        with open(a.header) as f:
            print(f.read().rstrip())
        print()
    print(table(rows))
    print()
    print("CPU s/100k: CPU seconds (user+system, /proc/PID/stat) of the proxy's whole process tree")
    print("per 100,000 requests; user s/100k: its user-space part (the rest is the kernel's, the")
    print("sockets' work); cores: CPU per second of the run. In the direct row these are")
    print("the backend's own. peak RSS: sum over the tree's processes, sampled every 0.25 s; PSS")
    print("counts pages shared by nginx's master and workers once. backend cores: CPU of the")
    print("backend during the row; busy cores: the whole machine (wrk, others' builds included).")

    # errors
    bad = [label(d) for d in rows if ok(d) and not clean(d)]
    if bad:
        print()
        print("WARNING: errors in: " + ", ".join(bad) + " (their figures are not comparable)")

    # the backend is not the bottleneck
    direct = by.get("direct")
    proxies = [d for d in rows if ok(d) and d["row"] != "direct"]
    if ok(direct) and proxies:
        best = max(proxies, key=lambda d: d["rps"])
        r = direct["rps"] / best["rps"]
        busiest = max(proxies, key=lambda d: d.get("backend_cores", 0))
        print()
        print("backend: direct %.0f req/s = %.2fx the fastest proxy (%s); the backend used at most"
              " %.2f core during a proxy row (%s): %s" % (
                  direct["rps"], r, label(best), busiest.get("backend_cores", 0), label(busiest),
                  "not the bottleneck" if r >= 1.5 and busiest.get("backend_cores", 0) < 0.9
                  else "WARNING: may limit the proxies"))

    # Meridian's ratios to each peer
    m = by.get("meridian")
    print()
    if not ok(m):
        print("Meridian gateway: %s: no ratios, no verdicts" %
              ("skipped: " + m["skipped"] if m and "skipped" in m else "not run"))
    else:
        print("Meridian's ratios (Meridian / peer): throughput x (higher is better), p99 x and"
              " CPU per request x (lower is better)")
        for p in PEERS:
            d = by.get(p)
            if not ok(d):
                print("  %-8s  n/a (%s)" % (LABEL[p], "skipped" if d else "not run"))
                continue
            user = ("%.2fx" % (m["user_cpu_per_100k"] / d["user_cpu_per_100k"])
                    if d.get("user_cpu_per_100k") else "n/a")
            print("  %-8s  throughput %.2fx   p99 %.2fx   p99.9 %.2fx   CPU/request %.2fx"
                  " (user %s)" % (
                      LABEL[p], m["rps"] / d["rps"], m["lat_p99_us"] / d["lat_p99_us"],
                      m["lat_p999_us"] / d["lat_p999_us"], m["cpu_per_100k"] / d["cpu_per_100k"],
                      user))

    # targets
    print()
    print("targets:")

    def verdict(name, cond, detail):
        print("  %-42s %-8s %s" % (name, "MET" if cond else "NOT MET", detail))

    def na(name, why):
        print("  %-42s %-8s %s" % (name, "n/a", why))

    n, t, lg = by.get("nginx"), by.get("traefik"), by.get("large")
    for name, peer, need in (("throughput >= 1.0x nginx", n, 1.0), ("throughput >= 1.5x Traefik", t, 1.5)):
        if ok(m) and ok(peer):
            x = m["rps"] / peer["rps"]
            verdict(name, x >= need and clean(m), "%.2fx (%.0f vs %.0f req/s)%s" % (
                x, m["rps"], peer["rps"], "" if clean(m) else ", with errors"))
        else:
            na(name, "needs both rows")
    if ok(m) and ok(n):
        x = m["lat_p99_us"] / n["lat_p99_us"]
        verdict("p99 <= nginx p99 x 1.2", x <= 1.2 and clean(m), "%.2fx (%s vs %s ms)" % (
            x, ms(m["lat_p99_us"]), ms(n["lat_p99_us"])))
    else:
        na("p99 <= nginx p99 x 1.2", "needs both rows")
    if ok(lg):
        rss = lg.get("peak_rss_bytes", 0) / MIB
        verdict("large config: RSS under load <= 128 MiB", rss <= 128 and clean(lg),
                "%.1f MiB peak (%d routes, %d endpoints), %.0f req/s%s" % (
                    rss, lg.get("routes", 0), lg.get("endpoints", 0), lg["rps"],
                    ", %.2fx the 1-route row" % (lg["rps"] / m["rps"]) if ok(m) else ""))
    else:
        na("large config: RSS under load <= 128 MiB", "row not run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
