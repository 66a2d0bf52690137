import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { writeArtifacts } from "../../trainer/artifacts.js";
import { readOrders, type Baskets } from "../../trainer/ingest/orders.js";
import { countCoPurchases, type CoPurchase } from "../../trainer/learn/coPurchase.js";
import { fitEase } from "../../trainer/learn/ease.js";
import { fitSparseEase, sparseWeight } from "../../trainer/learn/sparseEase.js";
import { TRAIN_DEFAULTS, train } from "../../trainer/train.js";
import { repoRoot, sampleCatalog, sampleOrders } from "../fixtures.js";
import { quiet, tempFile } from "./helpers.js";

const run = promisify(execFile);

/** The bundled sample's first `lines` order lines, as a file of their own. */
async function sampleSlice(lines: number): Promise<string> {
  const text = gunzipSync(readFileSync(sampleOrders)).toString("utf8").split("\n");
  return tempFile("orders.csv.gz", text.slice(0, lines + 1).join("\n"));
}

/** The same counts with every pair below `floor` baskets dropped, as a warehouse's rare-pair cut does. */
function pruned(co: CoPurchase, floor: number): CoPurchase {
  const rowStart = new Int32Array(co.itemCount + 1);
  const cols: number[] = [];
  const counts: number[] = [];
  const weighted: number[] = [];
  for (let i = 0; i < co.itemCount; i++) {
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      if ((co.counts[p] ?? 0) < floor) continue;
      cols.push(co.cols[p] ?? 0);
      counts.push(co.counts[p] ?? 0);
      weighted.push(co.weighted?.[p] ?? 0);
    }
    rowStart[i + 1] = cols.length;
  }
  const kept = { rowStart, cols: Int32Array.from(cols), counts: Int32Array.from(counts) };
  return { ...co, ...kept, ...(co.weighted ? { weighted: Float32Array.from(weighted) } : {}) };
}

const soldItems = (co: CoPurchase) =>
  Int32Array.from(Array.from(co.itemBaskets.keys()).filter((i) => (co.itemBaskets[i] ?? 0) > 0));

describe("sparse EASE (neighbourhood-restricted)", () => {
  let co: CoPurchase;
  let baskets: Baskets;
  beforeAll(async () => {
    baskets = await readOrders(await sampleSlice(40_000), { maxRejectRate: 0.01, reporter: quiet });
    co = countCoPurchases(baskets, { maxBasket: 1000 });
  });

  it("is dense EASE exactly when every item's companions are the whole catalog", async () => {
    // 12 items, every pair bought together: each item's companions are all other items.
    const n = 12;
    const baskets = [];
    for (let b = 0; b < 200; b++) {
      const basket = [];
      for (let i = 0; i < n; i++) if ((b * 7 + i * 13 + ((b * i) % 5)) % 3 !== 0 || i === b % n) basket.push(i);
      baskets.push(basket);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) baskets.push([i, j]);
    const lines = baskets.flatMap((basket, b) => basket.map((i) => `${b},S${i}`));
    const file = await tempFile("complete.csv", ["order_id,product_id", ...lines].join("\n"));
    const small = countCoPurchases(await readOrders(file, { maxRejectRate: 0, reporter: quiet }), { maxBasket: 100 });
    expect(small.cols.length).toBe(n * (n - 1));
    const options = { lambda: 20, dropout: 0.25 };
    const dense = fitEase(small, soldItems(small), options);
    const sparse = fitSparseEase(small, { ...options, candidates: n, minSupport: 1 });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        expect(sparseWeight(sparse, i, j)).toBeCloseTo(dense.weights[i * n + j] ?? NaN, 6);
      }
    }
  });

  it("recommends much as dense EASE does (bundled sample, 40,000 lines)", () => {
    const items = soldItems(co);
    const m = items.length;
    const options = { lambda: TRAIN_DEFAULTS.easeLambda, dropout: TRAIN_DEFAULTS.easeDropout };
    const dense = fitEase(co, items, options);
    const sparse = fitSparseEase(co, {
      ...options,
      candidates: TRAIN_DEFAULTS.easeCandidates,
      minSupport: TRAIN_DEFAULTS.minSupport,
    });
    // Each basket of 3+ items but its last is a query; both models score every item by Σ B_ij.
    const fromDense = new Float64Array(co.itemCount);
    const fromSparse = new Float64Array(co.itemCount);
    let overlap = 0;
    let queries = 0;
    for (let b = 0; b + 1 < baskets.offsets.length && queries < 1000; b++) {
      const basket = Array.from(baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1]));
      if (basket.length < 3) continue;
      const query = basket.slice(0, -1);
      fromDense.fill(0);
      fromSparse.fill(0);
      for (const i of query) {
        const p = items.indexOf(i);
        for (let r = 0; r < m; r++) {
          const j = items[r] ?? 0;
          fromDense[j] = (fromDense[j] ?? 0) + (dense.weights[p * m + r] ?? 0);
        }
        for (let t = sparse.rowStart[i] ?? 0; t < (sparse.rowStart[i + 1] ?? 0); t++) {
          const j = sparse.cols[t] ?? 0;
          fromSparse[j] = (fromSparse[j] ?? 0) + (sparse.weights[t] ?? 0);
        }
      }
      const asked = new Set(query);
      const topTen = (scores: Float64Array) =>
        Array.from(items)
          .filter((j) => !asked.has(j))
          .sort((x, y) => (scores[y] ?? 0) - (scores[x] ?? 0) || x - y)
          .slice(0, 10);
      const denseTop = topTen(fromDense);
      const sparseTop = new Set(topTen(fromSparse));
      overlap += denseTop.filter((j) => sparseTop.has(j)).length / 10;
      queries++;
    }
    // Measured 2026-11-30: 0.54 over 1,000 queries. The two differ more than this suggests in quality:
    // on the shared split sparse scores basket HR@10 0.266 against dense's 0.259 (docs/design.md: The learner).
    console.log(
      `top-10 recommendation overlap, sparse vs dense: ${(overlap / queries).toFixed(3)} (${queries} queries)`,
    );
    expect(queries).toBe(1000);
    expect(overlap / queries).toBeGreaterThanOrEqual(0.45);
  }, 60_000);

  it("gives the same weights from counts pruned at its support floor, and solves indefinite systems", () => {
    const options = { lambda: 20, dropout: 0.25, candidates: 64, minSupport: 2 };
    const full = fitSparseEase(co, options);
    const cut = fitSparseEase(pruned(co, 2), options);
    expect(cut.cols).toEqual(full.cols);
    expect(cut.weights).toEqual(full.weights);
    // With no regularisation and pairs pruned hard, some systems are not positive definite.
    const harsh = fitSparseEase(pruned(co, 8), { ...options, lambda: 0, dropout: 0, minSupport: 8 });
    expect(harsh.weights.every(Number.isFinite)).toBe(true);
  }, 60_000);

  it("trains byte-identical models twice from the same inputs", async () => {
    const orders = await sampleSlice(40_000);
    const options = { ...TRAIN_DEFAULTS, learner: "sparse" as const, orders, catalog: sampleCatalog };
    const now = new Date("2026-11-30T00:00:00Z");
    const a = await train({ ...options, currency: "GBP", reporter: quiet });
    const b = await train({ ...options, currency: "GBP", reporter: quiet });
    expect(a.learner).toBe("sparse");
    const first = await writeArtifacts(a, await mkdtemp(join(tmpdir(), "sidecart-a-")), now);
    const second = await writeArtifacts(b, await mkdtemp(join(tmpdir(), "sidecart-b-")), now);
    expect(first.manifest.model.learner).toBe("sparse");
    expect(second.manifest.blobs).toEqual(first.manifest.blobs);
  }, 120_000);

  it("auto picks the sparse learner, and a bad --learner is one clear line with exit 1", async () => {
    const orders = await sampleSlice(5_000);
    const trained = await train({ ...TRAIN_DEFAULTS, orders, catalog: null, currency: "GBP", reporter: quiet });
    expect(trained.learner).toBe("sparse");
    const result = await run(process.execPath, ["bin/sidecart.mjs", "train", "--orders", orders, "--learner", "fast"], {
      cwd: repoRoot,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      'sidecart: --learner "fast" must be one of auto, dense, sparse, confidence',
    ]);
  }, 60_000);
});
