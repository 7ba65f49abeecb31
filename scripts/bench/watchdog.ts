/**
 * Memory watchdog for benchmarks: samples the resident memory (RSS) of a process and all its
 * descendants from /proc, keeps the peak, and kills the whole process group past a limit.
 * Node's heap flag bounds only the JS heap; native memory (Pagefind, sharp, buffers) is not,
 * and one build that outgrows the machine would take every other process down with it.
 *   node scripts/bench/watchdog.ts --limit 12G -- node some-build.js args…
 * prints the peak RSS of the tree and exits with the command's code (137 when it was killed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const PAGE_BYTES = 4096;

/** Parent pid and RSS (bytes) of a pid, from /proc/<pid>/stat; null when it is gone. */
function readStat(pid: number): { ppid: number; rss: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name sits in parentheses and may hold spaces: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // Fields after the name: state(0) ppid(1) … rss(21), in pages.
  return { ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE_BYTES };
}

/** Total RSS of `root` and every process descended from it, in bytes (0 once it is gone). */
export function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    rss.set(pid, stat.rss);
    const list = children.get(stat.ppid);
    if (list) list.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface WatchOptions {
  /** Kill the tree when its RSS passes this many bytes. */
  limitBytes: number;
  /** How often to sample. */
  intervalMs?: number;
}

export interface Watch {
  /** Stops sampling; returns the peak RSS seen and whether the limit was hit. */
  stop(): { peakBytes: number; killed: boolean };
  /** The peak so far. */
  peak(): number;
}

/**
 * Watches a child started with `detached: true` (so it leads its own process group): every
 * sample sums the RSS of its tree; past the limit, SIGKILL goes to the whole group.
 */
export function watchTree(child: ChildProcess, { limitBytes, intervalMs = 250 }: WatchOptions): Watch {
  const pid = child.pid;
  if (pid === undefined) throw new Error("watchTree: the child has no pid (did it fail to start?)");
  let peakBytes = 0;
  let killed = false;
  const sample = () => {
    const bytes = treeRss(pid);
    peakBytes = Math.max(peakBytes, bytes);
    if (bytes > limitBytes && !killed) {
      killed = true;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakBytes, killed };
    },
    peak: () => peakBytes,
  };
}

/** "12G", "800M", "1.5G" or plain bytes → bytes. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 12G or 800M)`);
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2].toUpperCase() as "" | "K" | "M" | "G"];
  return Math.round(Number(match[1]) * unit);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { limit: { type: "string", default: "12G" } } });
  if (positionals.length === 0) {
    console.error("usage: node scripts/bench/watchdog.ts [--limit 12G] -- COMMAND [ARGS…]");
    process.exit(2);
  }
  const limitBytes = parseBytes(values.limit);
  const child = spawn(positionals[0], positionals.slice(1), { stdio: "inherit", detached: true });
  const watch = watchTree(child, { limitBytes });
  child.on("exit", (code, signal) => {
    const { peakBytes, killed } = watch.stop();
    console.error(
      `watchdog: peak RSS of the process tree ${formatBytes(peakBytes)}${killed ? `: KILLED past the ${values.limit} limit` : ""}`,
    );
    process.exit(killed ? 137 : (code ?? (signal ? 128 : 1)));
  });
}
