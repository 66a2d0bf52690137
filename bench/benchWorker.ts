import { execFile } from "node:child_process";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const run = promisify(execFile);
export const localEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/**
 * Workers started after this run workerd with these V8 flags (space-separated; scripts/workerd-v8.sh),
 * to tell the runtime's part of a figure from ours: a deploy cannot set them. Nothing when undefined.
 */
export function useV8Flags(flags: string | undefined): void {
  if (flags === undefined) return;
  // Miniflare has no option for V8 flags: the wrapper adds them to the config it hands workerd.
  process.env.MINIFLARE_WORKERD_PATH = resolve("scripts", "workerd-v8.sh");
  process.env.SIDECART_WORKERD_BIN = (createRequire(import.meta.url)("workerd") as { default: string }).default;
  process.env.SIDECART_WORKERD_V8_FLAGS = flags;
}

export interface Bundle {
  dir: string;
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

/** The worker exactly as `wrangler deploy` would upload it (built offline with --dry-run). */
export async function buildBundle(dir: string): Promise<Bundle> {
  await rm(dir, { recursive: true, force: true });
  await run(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", dir], {
    env: localEnv,
  });
  // The entry module first: Miniflare treats the first module as the worker's main.
  const files = (await readdir(dir))
    .filter((f) => f.endsWith(".js") || f.endsWith(".wasm") || f.endsWith(".bin"))
    .sort((a, b) => Number(b === "index.js") - Number(a === "index.js"));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes, { level: 9 }).byteLength;
  }
  return { dir, files, rawBytes, gzipBytes };
}

export interface RunningWorker {
  url: string;
  /** RSS of the workerd process serving it, in bytes. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

async function workerdPids(): Promise<Set<number>> {
  const { stdout } = await run("ps", ["-eo", "pid,ppid,comm"]);
  const pids = new Set<number>();
  for (const line of stdout.split("\n")) {
    const [pid, ppid, comm] = line.trim().split(/\s+/);
    if (comm === "workerd" && Number(ppid) === process.pid) pids.add(Number(pid));
  }
  return pids;
}

/**
 * The built bundle in workerd on loopback, the way `wrangler dev` runs it (Miniflare, the same
 * wrangler.toml bindings, local KV and D1 under `persist`), without wrangler's dev proxy in front.
 */
export async function startWorker(
  bundle: Bundle,
  persist: string,
  {
    inspectorPort,
    answerCacheSeconds = 0,
    vars = {},
  }: { inspectorPort?: number; answerCacheSeconds?: number; vars?: Record<string, string> } = {},
): Promise<RunningWorker> {
  // Without [assets]: Miniflare serves them through a JS router worker in front of ours, which adds
  // 7-14 ms to the p99 of every answer on this machine (a trivial worker: 2.2 ms p99 without it, 9-16
  // ms with it, at 250 req/s). The figures are the worker's own; the API never serves an asset.
  const { assets: _assets, ...workerOptions } = unstable_getMiniflareWorkerOptions(
    resolve("wrangler.toml"),
  ).workerOptions;
  const before = await workerdPids();
  const mf = new Miniflare({
    ...workerOptions,
    name: "sidecart-bench",
    // Listed, not discovered: the bundle's dynamic imports defeat Miniflare's module walker.
    modulesRoot: bundle.dir,
    modules: bundle.files.map((file) => ({
      type: file.endsWith(".wasm")
        ? ("CompiledWasm" as const)
        : file.endsWith(".bin")
          ? ("Data" as const)
          : ("ESModule" as const),
      path: join(bundle.dir, file),
    })),
    // The answer cache is off unless asked for: the figures are what scoring costs, not a cache.
    bindings: {
      ...workerOptions.bindings,
      SIDECART_BENCH: "1",
      SIDECART_LOCAL: "1",
      ANSWER_CACHE_SECONDS: String(answerCacheSeconds),
      ...vars,
    },
    kvPersist: join(persist, "v3", "kv"),
    d1Persist: join(persist, "v3", "d1"),
    host: "127.0.0.1",
    port: 0,
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
  } as ConstructorParameters<typeof Miniflare>[0]);
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const pid = [...(await workerdPids())].find((p) => !before.has(p));
  return {
    url,
    async rss() {
      if (pid === undefined) return NaN;
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb * 1024;
    },
    stop: () => mf.dispose(),
  };
}

export async function fileBytes(path: string): Promise<number> {
  return (await stat(path)).size;
}
