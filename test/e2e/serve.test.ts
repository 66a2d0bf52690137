import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readOrders } from "../../trainer/ingest/orders.js";
import { createReporter } from "../../trainer/progress.js";
import { repoRoot, sampleOrders } from "../fixtures.js";

const run = promisify(execFile);
const localEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Baskets of the bundled sample that hold the given product: what "also bought" must come from. */
async function coPurchasedWith(sku: string): Promise<Map<string, number>> {
  const baskets = await readOrders(sampleOrders, { maxRejectRate: 0.01, reporter: createReporter({ quiet: true }) });
  const anchor = baskets.skus.indexOf(sku);
  const counts = new Map<string, number>();
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    const items = baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1]);
    if (!items.includes(anchor)) continue;
    for (const item of items) {
      const other = baskets.skus[item];
      if (item !== anchor && other !== undefined) counts.set(other, (counts.get(other) ?? 0) + 1);
    }
  }
  return counts;
}

describe("train → publish --local → wrangler dev → HTTP", () => {
  let persist: string;
  let wrangler: ChildProcess;
  let base: string;
  let log = "";

  beforeAll(async () => {
    persist = await mkdtemp(join(tmpdir(), "sidecart-e2e-"));
    const { dir } = inject("seedModel");
    await run(process.execPath, ["bin/sidecart.mjs", "publish", "--local", "--from", dir, "--persist-to", persist], {
      cwd: repoRoot,
      env: localEnv,
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    wrangler = spawn(
      process.execPath,
      [
        "node_modules/wrangler/bin/wrangler.js",
        "dev",
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--persist-to",
        persist,
      ],
      { cwd: repoRoot, env: localEnv, stdio: ["ignore", "pipe", "pipe"] },
    );
    wrangler.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    wrangler.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    for (let i = 0; i < 180; i++) {
      if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
      const up = await fetch(`${base}/healthz`).then(
        () => true,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`wrangler dev did not answer:\n${log}`);
  });

  afterAll(async () => {
    if (wrangler && wrangler.exitCode === null) {
      const exited = new Promise((r) => wrangler.once("exit", r));
      wrangler.kill("SIGINT");
      await exited;
    }
    if (persist) await rm(persist, { recursive: true, force: true });
  });

  it("serves suggestions for 85123A that were really bought with it, within the price rule", async () => {
    const response = await fetch(`${base}/v1/items/85123A/also-bought?limit=5`);
    expect(response.status, log).toBe(200);
    const body = (await response.json()) as {
      anchor: { price: number };
      items: { sku: string; price: number }[];
      model: { version: string };
    };
    expect(body.model.version).toBe(inject("seedModel").version);
    expect(body.items).toHaveLength(5);
    const together = await coPurchasedWith("85123A");
    for (const item of body.items) {
      expect(item.sku).not.toBe("85123A");
      expect(item.price).toBeLessThanOrEqual(0.3 * body.anchor.price);
      // Seen together in at least the privacy floor of 5 distinct baskets.
      expect(together.get(item.sku) ?? 0, item.sku).toBeGreaterThanOrEqual(5);
    }
  });

  it("names the published version on /v1/model", async () => {
    const body = (await (await fetch(`${base}/v1/model`)).json()) as { version: string };
    expect(body.version).toBe(inject("seedModel").version);
  });
});
