#!/usr/bin/env python3
"""Reads /proc around one measured wrk run: CPU (utime+stime) of a process group (the proxy and
all its processes: nginx master and workers, a JVM and all its threads) and of the backend, the
machine's busy CPU from /proc/stat, and the group's peak RSS and PSS sampled every --interval.

  proc_sample.py --pgid PGID --backend-pid PID --out FILE [--interval 0.25]

Takes the first reading, prints "ready", samples memory until SIGTERM or SIGINT, then takes the
last CPU reading and writes key=value lines to FILE. Only reads /proc; one process, ~0.1 % CPU.
"""
import argparse, os, signal, sys, time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    # comm may hold spaces and parentheses: split after the last ')'
    return s[s.rindex(")") + 2:].split()


def group_pids(pgid):
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            f = stat_fields(d)
        except (OSError, ValueError):
            continue
        if int(f[2]) == pgid:  # field 5 of stat: pgrp
            pids.append(int(d))
    return pids


def cpu_ticks(pid):
    """(utime, stime) of all threads (stat fields 14, 15), or None when the process is gone."""
    try:
        f = stat_fields(pid)
        return int(f[11]), int(f[12])
    except (OSError, ValueError, IndexError):
        return None


def rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def pss_bytes(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def machine_busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    total = sum(v[:8])  # user nice system idle iowait irq softirq steal
    idle = v[3] + v[4]
    return total - idle, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pgid", type=int, required=True)
    ap.add_argument("--backend-pid", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--interval", type=float, default=0.25)
    a = ap.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    def group_cpu():
        return {p: cpu_ticks(p) for p in group_pids(a.pgid)}

    cpu0 = {p: t for p, t in group_cpu().items() if t is not None}
    b0 = cpu_ticks(a.backend_pid) if a.backend_pid else None
    m0, tot0 = machine_busy_ticks()
    t0 = time.monotonic()
    print("ready", flush=True)

    peak_rss = peak_pss = 0
    last_rss = 0
    cpu_last = dict(cpu0)
    while not stop:
        pids = group_pids(a.pgid)
        rss = sum(rss_bytes(p) for p in pids)
        pss = sum(pss_bytes(p) for p in pids)
        for p in pids:
            t = cpu_ticks(p)
            if t is not None:
                cpu_last[p] = t
        peak_rss, peak_pss, last_rss = max(peak_rss, rss), max(peak_pss, pss), rss
        deadline = time.monotonic() + a.interval
        while not stop and time.monotonic() < deadline:
            time.sleep(0.02)

    for p, t in group_cpu().items():
        if t is not None:
            cpu_last[p] = t
    elapsed = time.monotonic() - t0
    # a process born during the run counts from 0; one that died keeps its last reading
    proxy_user = sum(t[0] - cpu0.get(p, (0, 0))[0] for p, t in cpu_last.items())
    proxy = proxy_user + sum(t[1] - cpu0.get(p, (0, 0))[1] for p, t in cpu_last.items())
    b1 = cpu_ticks(a.backend_pid) if a.backend_pid else None
    m1, tot1 = machine_busy_ticks()
    with open(a.out, "w") as f:
        f.write(f"elapsed_s={elapsed:.3f}\n")
        f.write(f"proxy_cpu_s={proxy / TICK:.3f}\n")
        f.write(f"proxy_user_cpu_s={proxy_user / TICK:.3f}\n")
        f.write(f"proxy_procs={len(cpu_last)}\n")
        if b0 is not None and b1 is not None:
            f.write(f"backend_cpu_s={(sum(b1) - sum(b0)) / TICK:.3f}\n")
        f.write(f"machine_busy_cpu_s={(m1 - m0) / TICK:.3f}\n")
        f.write(f"machine_cpus={os.cpu_count()}\n")
        f.write(f"peak_rss_bytes={peak_rss}\n")
        f.write(f"peak_pss_bytes={peak_pss}\n")
        f.write(f"last_rss_bytes={last_rss}\n")


if __name__ == "__main__":
    sys.exit(main())
