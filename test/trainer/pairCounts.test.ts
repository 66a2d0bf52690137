import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOrders } from "../../trainer/ingest/orders.js";
import { countCoPurchases, type CoPurchase } from "../../trainer/learn/coPurchase.js";
import { openLocalPlatform } from "../../trainer/publish/localKv.js";
import type { Reporter } from "../../trainer/progress.js";
import { TRAIN_DEFAULTS, train, type TrainedModel } from "../../trainer/train.js";
import { repoRoot, sampleCatalog, sampleOrders } from "../fixtures.js";

/** The part of a D1 binding this test uses (local D1 is SQLite). */
interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  all<T>(): Promise<{ results: T[] }>;
  run(): Promise<unknown>;
}
interface D1 {
  exec(sql: string): Promise<unknown>;
  prepare(sql: string): D1Statement;
}

const quiet: Reporter = { info() {}, record() {}, step: () => ({ update() {}, done() {} }) };

const csv = (rows: readonly string[]) => ["item_a,item_b,baskets", ...rows].join("\n");

/**
 * Where pair-count rows (`item_a,item_b,baskets`) disagree with the trainer's own counts, pruned at
 * minCount: a few problems, so a failure reads as a short list and not a diff of millions of rows.
 * Linear (a Set of 2.5 million row strings took seconds): each row is looked up in the counts' CSR,
 * each count may be claimed once, and every count at or above minCount must be claimed.
 */
function countProblems(rows: readonly string[], counts: Counts, minCount: number): string[] {
  const { co, skus, totalBaskets } = counts;
  const index = new Map(skus.map((sku, i) => [sku, i]));
  const claimedPair = new Uint8Array(co.counts.length);
  const claimedItem = new Uint8Array(co.itemCount);
  let totals = 0;
  const problems: string[] = [];
  const problem = (row: string, why: string) => problems.length < 5 && problems.push(`${row}: ${why}`);
  for (const row of rows) {
    const [comma1, comma2] = [row.indexOf(","), row.lastIndexOf(",")];
    const [a, b, n] = [row.slice(0, comma1), row.slice(comma1 + 1, comma2), Number(row.slice(comma2 + 1))];
    if (a === "" && b === "") {
      totals++;
      if (n !== totalBaskets) problem(row, `${totalBaskets} baskets`);
      continue;
    }
    const i = index.get(a);
    if (i === undefined) {
      problem(row, "unknown product");
      continue;
    }
    if (b === "") {
      if ((co.itemBaskets[i] ?? 0) !== n) problem(row, `item baskets ${co.itemBaskets[i]}`);
      else if (claimedItem[i] === 1) problem(row, "twice");
      claimedItem[i] = 1;
      continue;
    }
    const j = index.get(b);
    const start = co.rowStart[i] ?? 0;
    const end = co.rowStart[i + 1] ?? 0;
    const p = j === undefined || !(a < b) ? -1 : find(co.cols.subarray(start, end), j);
    if (p < 0) problem(row, "no such pair");
    else if ((co.counts[start + p] ?? 0) !== n || n < minCount) problem(row, `pair count ${co.counts[start + p]}`);
    else if (claimedPair[start + p] === 1) problem(row, "twice");
    else claimedPair[start + p] = 1;
  }
  if (totals !== 1) problems.push(`${totals} total rows`);
  for (let i = 0; i < co.itemCount; i++) {
    if ((co.itemBaskets[i] ?? 0) > 0 && claimedItem[i] === 0) problem(`${skus[i]},,`, "missing");
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      const j = co.cols[p] ?? 0;
      if ((skus[i] ?? "") < (skus[j] ?? "") && (co.counts[p] ?? 0) >= minCount && claimedPair[p] === 0)
        problem(`${skus[i]},${skus[j]},`, `missing (count ${co.counts[p]})`);
    }
  }
  return problems;
}

/** Where a sorted array holds a value, or -1. */
function find(sorted: Int32Array, value: number): number {
  let [low, high] = [0, sorted.length - 1];
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = sorted[mid] ?? 0;
    if (at === value) return mid;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

interface Counts {
  co: CoPurchase;
  skus: readonly string[];
  totalBaskets: number;
}

const sqlPath = join(repoRoot, "trainer", "sql", "pairCounts.sql");
/** The shipped SQL, and the same without its rare-pair cut (the HAVING line). */
function pairCountsSql(): { pruned: string; unpruned: string } {
  const pruned = readFileSync(sqlPath, "utf8").replace(/;\s*$/, "");
  const unpruned = pruned.replace(/^HAVING COUNT\(\*\) >= 2\n/m, "");
  if (unpruned === pruned) throw new Error(`${sqlPath}: no "HAVING COUNT(*) >= 2" line`);
  return { pruned, unpruned };
}

/** Every order line of a gzipped orders CSV into an order_lines table, 1,000 rows per INSERT … VALUES. */
async function loadOrderLines(db: D1, path: string): Promise<number> {
  const lines = gunzipSync(readFileSync(path)).toString("utf8").split("\n");
  const header = (lines[0] ?? "").split(",");
  const [order, product, quantity] = ["order_id", "product_id", "quantity"].map((name) => header.indexOf(name));
  const text = (value: string | undefined) => `'${(value ?? "").replaceAll("'", "''")}'`;
  const rows = lines
    .slice(1)
    .filter((line) => line !== "")
    .map((line) => {
      const fields = line.split(",");
      const q = Number(fields[quantity ?? -1]);
      return `(${text(fields[order ?? -1])},${text(fields[product ?? -1])},${Number.isFinite(q) ? q : "NULL"})`;
    });
  await db.exec("CREATE TABLE order_lines (order_id TEXT, product_id TEXT, quantity INTEGER)");
  for (let i = 0; i < rows.length; i += 1000) {
    await db.prepare(`INSERT INTO order_lines VALUES ${rows.slice(i, i + 1000).join(",")}`).run();
  }
  return rows.length;
}

/**
 * Runs a query into a table, then reads it back as `a,b,n` text, one string per chunk of rows
 * (reading 1.6 million rows as JSON objects took 16 s on top of the query's 22 s).
 */
async function queryRows(db: D1, table: string, sql: string): Promise<string[]> {
  await db.prepare(`CREATE TABLE ${table} AS ${sql}`).run();
  const rows: string[] = [];
  const chunk = 25_000; // under SQLite's string limit in D1 (200,000 rows was SQLITE_TOOBIG)
  for (let from = 0; ; from += chunk) {
    const { results } = await db
      .prepare(
        `SELECT group_concat(item_a || ',' || item_b || ',' || baskets, char(10)) AS text
         FROM ${table} WHERE rowid > ? AND rowid <= ?`,
      )
      .bind(from, from + chunk)
      .all<{ text: string | null }>();
    const text = results[0]?.text;
    if (text === null || text === undefined) return rows;
    rows.push(...text.split("\n"));
  }
}

interface CliResult {
  code: number;
  stderr: string;
}
const cli = (args: string[]) =>
  new Promise<CliResult>((resolve) => {
    execFile(process.execPath, ["bin/sidecart.mjs", ...args], { cwd: repoRoot }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr });
    });
  });

describe("--pair-counts: counts computed elsewhere", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sidecart-pairs-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses a file without the total row, and --orders together with --pair-counts", async () => {
    const path = join(dir, "no-total.csv");
    await writeFile(path, csv(["A,B,3"]));
    const options = { ...TRAIN_DEFAULTS, catalog: sampleCatalog, currency: "GBP", reporter: quiet };
    await expect(train({ ...options, orders: null, pairCounts: path })).rejects.toThrow("no total row");
    await expect(train({ ...options, orders: sampleOrders, pairCounts: path })).rejects.toThrow("not both");
  });
});

/**
 * trainer/sql/pairCounts.sql in SQLite (local D1) over the whole bundled Online Retail set (234,942
 * lines), with and without its rare-pair cut, then trained with the default learner (auto = sparse).
 * Measured: 2,473,630 rows unpruned, 1,601,224 with the cut; each query ~25 s in local D1.
 */
describe("trainer/sql/pairCounts.sql on the whole bundled orders", () => {
  let dir: string;
  const options = { ...TRAIN_DEFAULTS, catalog: sampleCatalog, currency: "GBP", reporter: quiet };
  const sqlRows = { pruned: [] as string[], unpruned: [] as string[] };
  let counts: Counts;
  const models: { lines?: TrainedModel; unpruned?: TrainedModel; pruned?: TrainedModel } = {};
  let denseResult: CliResult;

  // Everything heavy is here, overlapped: each query runs in workerd while this process trains from
  // what is already there, and the dense CLI runs in its own process while the pruned counts train.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sidecart-pairs-sql-"));
    const files = { pruned: join(dir, "pruned.csv"), unpruned: join(dir, "unpruned.csv") };
    const sql = pairCountsSql();
    const platform = await openLocalPlatform({ configPath: join(repoRoot, "wrangler.toml"), persistTo: dir });
    try {
      const db = platform.env.EVENTS as D1;
      expect(await loadOrderLines(db, sampleOrders)).toBe(234_942);
      const unprunedDone = (async () => {
        sqlRows.unpruned = await queryRows(db, "unpruned", sql.unpruned);
        await writeFile(files.unpruned, csv(sqlRows.unpruned));
      })();
      const prunedDone = (async () => {
        await unprunedDone;
        sqlRows.pruned = await queryRows(db, "pruned", sql.pruned);
        await writeFile(files.pruned, csv(sqlRows.pruned));
      })();
      prunedDone.catch(() => {}); // awaited below; a failure before then is the unpruned one's
      // Counts carry no basket sizes: the same model is the one the lines give without basket weights.
      models.lines = await train({ ...options, orders: sampleOrders, basketWeights: false });
      const baskets = await readOrders(sampleOrders, { maxRejectRate: options.maxRejectRate, reporter: quiet });
      counts = {
        co: countCoPurchases(baskets, { maxBasket: options.maxBasket }),
        skus: baskets.skus,
        totalBaskets: baskets.offsets.length - 1,
      };
      await unprunedDone;
      models.unpruned = await train({ ...options, orders: null, pairCounts: files.unpruned });
      await prunedDone;
    } finally {
      await platform.dispose();
    }
    const dense = join(dir, "dense");
    const args = ["--catalog", "data/catalog.csv.gz", "--currency", "GBP", "--learner", "dense", "--out", dense];
    const denseDone = cli(["train", "--pair-counts", files.pruned, ...args]);
    models.pruned = await train({ ...options, orders: null, pairCounts: files.pruned });
    denseResult = await denseDone;
  }, 240_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives the trainer's counts, with and without the rare-pair cut", () => {
    expect(countProblems(sqlRows.unpruned, counts, 1)).toEqual([]);
    expect(countProblems(sqlRows.pruned, counts, 2)).toEqual([]);
    // The cut drops something (pairs seen in one basket only), or this would test nothing.
    expect(sqlRows.pruned.length).toBeLessThan(sqlRows.unpruned.length);
  });

  /** The model from the order lines and one from counts: the same sparse model, table for table. */
  const expectSameModel = (fromCounts: "unpruned" | "pruned") => {
    const { lines } = models;
    const counted = models[fromCounts];
    expect(lines?.learner).toBe("sparse");
    expect(counted?.learner).toBe("sparse");
    expect(counted?.tables).toEqual(lines?.tables);
    expect(counted?.evidence).toEqual(lines?.evidence);
    expect(counted?.catalog.skus).toEqual(lines?.catalog.skus);
  };

  it("unpruned counts learn the same model as the lines, with the default learner (sparse)", () => {
    expectSameModel("unpruned");
  });

  it("pruned counts learn the same model too: nothing in it uses a pair below --min-support", () => {
    // The sparse learner, the neighbour lists and the SPPMI embeddings all leave out pairs seen in
    // fewer than 2 baskets, so the SQL's rare-pair cut loses nothing the model uses.
    expectSameModel("pruned");
  });

  it("--learner dense on pruned counts is one line on stderr, never a stack trace", () => {
    const { code, stderr } = denseResult;
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("internal error");
    // Measured: the pruned Gram matrix is indefinite (pivot 917), exit 1; were dense to succeed, exit 0.
    expect([0, 1]).toContain(code);
    if (code === 1) {
      const errors = stderr.split("\n").filter((line) => line.startsWith("sidecart:"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/dense EASE failed .*--learner sparse/);
    }
  });
});
