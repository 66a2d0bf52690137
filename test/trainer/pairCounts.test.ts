import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOrders } from "../../trainer/ingest/orders.js";
import { countCoPurchases, type CoPurchase } from "../../trainer/learn/coPurchase.js";
import { openLocalPlatform } from "../../trainer/publish/localKv.js";
import type { Reporter } from "../../trainer/progress.js";
import { TRAIN_DEFAULTS, train } from "../../trainer/train.js";
import { repoRoot, sampleCatalog, sampleOrders } from "../fixtures.js";

/** The part of a D1 binding this test uses (local D1 is SQLite). */
interface D1 {
  exec(sql: string): Promise<unknown>;
  prepare(sql: string): {
    bind(...values: unknown[]): unknown;
    all<T>(): Promise<{ results: T[] }>;
  };
  batch(statements: unknown[]): Promise<unknown>;
}

const quiet: Reporter = { info() {}, record() {}, step: () => ({ update() {}, done() {} }) };

/** The pair-count file shape (trainer/sql/pairCounts.sql) written from the trainer's own counts. */
function pairCountRows(co: CoPurchase, skus: readonly string[], totalBaskets: number, minCount: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < co.itemCount; i++) {
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      const j = co.cols[p] ?? 0;
      const [a, b] = [skus[i] ?? "", skus[j] ?? ""];
      if (a < b && (co.counts[p] ?? 0) >= minCount) rows.push([a, b, String(co.counts[p])]);
    }
    if ((co.itemBaskets[i] ?? 0) > 0) rows.push([skus[i] ?? "", "", String(co.itemBaskets[i])]);
  }
  rows.push(["", "", String(totalBaskets)]);
  return rows;
}

const csv = (rows: string[][]) => ["item_a,item_b,baskets", ...rows.map((r) => r.join(","))].join("\n");

describe("--pair-counts: counts computed elsewhere", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sidecart-pairs-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("learns the same tables and evidence as the order lines they were counted from", async () => {
    // Confidence weights only (no EASE): the same counts in, the same model out, in a fraction of the time.
    const options = { ...TRAIN_DEFAULTS, learner: "confidence" as const, catalog: sampleCatalog, currency: "GBP", reporter: quiet };
    const fromOrders = await train({ ...options, orders: sampleOrders });
    const baskets = await readOrders(sampleOrders, { maxRejectRate: 0.01, reporter: quiet });
    const co = countCoPurchases(baskets, { maxBasket: TRAIN_DEFAULTS.maxBasket });
    const path = join(dir, "pairs.csv");
    await writeFile(path, csv(pairCountRows(co, baskets.skus, baskets.offsets.length - 1, 1)));
    const fromCounts = await train({ ...options, orders: null, pairCounts: path });
    expect(fromCounts.tables).toEqual(fromOrders.tables);
    expect(fromCounts.evidence).toEqual(fromOrders.evidence);
    expect(fromCounts.catalog.skus).toEqual(fromOrders.catalog.skus);
  }, 120_000);

  it("refuses a file without the total row, and --orders together with --pair-counts", async () => {
    const path = join(dir, "no-total.csv");
    await writeFile(path, csv([["A", "B", "3"]]));
    const options = { ...TRAIN_DEFAULTS, catalog: sampleCatalog, currency: "GBP", reporter: quiet };
    await expect(train({ ...options, orders: null, pairCounts: path })).rejects.toThrow("no total row");
    await expect(train({ ...options, orders: sampleOrders, pairCounts: path })).rejects.toThrow("not both");
  });

  it("trainer/sql/pairCounts.sql, run in SQLite (local D1), gives the trainer's counts", async () => {
    // The first 8,000 lines of the sample, as an order_lines table.
    const lines = (await import("node:zlib")).gunzipSync(readFileSync(sampleOrders)).toString("utf8").split("\n");
    const header = (lines[0] ?? "").split(",");
    const at = (name: string) => header.indexOf(name);
    const rows = lines.slice(1, 8_001).map((line) => line.split(","));
    const subset = join(dir, "subset.csv");
    await writeFile(subset, [lines[0], ...lines.slice(1, 8_001)].join("\n"));
    const baskets = await readOrders(subset, { maxRejectRate: 0, reporter: quiet });
    const co = countCoPurchases(baskets, { maxBasket: 1000 });
    const expected = pairCountRows(co, baskets.skus, baskets.offsets.length - 1, 2);

    const platform = await openLocalPlatform({ configPath: join(repoRoot, "wrangler.toml"), persistTo: dir });
    try {
      const db = platform.env.EVENTS as D1;
      await db.exec("CREATE TABLE order_lines (order_id TEXT, product_id TEXT, quantity INTEGER)");
      const insert = db.prepare("INSERT INTO order_lines VALUES (?, ?, ?)");
      for (let i = 0; i < rows.length; i += 1000) {
        await db.batch(
          rows
            .slice(i, i + 1000)
            .map((r) => insert.bind(r[at("order_id")] ?? "", r[at("product_id")] ?? "", Number(r[at("quantity")]))),
        );
      }
      const sql = readFileSync(join(repoRoot, "trainer", "sql", "pairCounts.sql"), "utf8");
      const result = await db.prepare(sql).all<{ item_a: string; item_b: string; baskets: number }>();
      const got = result.results.map((r) => [r.item_a, r.item_b, String(r.baskets)]);
      const sort = (x: string[][]) => [...x].sort((p, q) => p.join("\u0000").localeCompare(q.join("\u0000")));
      expect(got.length).toBeGreaterThan(500);
      expect(sort(got)).toEqual(sort(expected));
    } finally {
      await platform.dispose();
    }
  }, 120_000);
});
