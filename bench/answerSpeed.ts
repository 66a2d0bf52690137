/**
 * npm run bench:answers -- [version folder]: what the answer pipeline (rules and presentation) costs
 * in Node, apart from the graph, over a paged model whose pages are all in the page cache: bench:serve's
 * 2,000 popular anchors (also-bought) and its 500 ten-item carts on the 50k planted shop, each scored
 * once beforehand by the reference scorer, then answered again and again through the worker's own
 * page session. Prints µs an answer and a SHA-256 of every answer once, so two trees can be compared
 * for speed and for sameness; and, apart, µs to gather each request's graph inputs from the pages
 * (worker/model/rowFeeds.ts, as the worker does before its run). Ends with one JSON line.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { NO_PRICE } from "../models/catalog.js";
import { DEFAULT_RULES } from "../models/config/rulesConfig.js";
import { alsoBought, cart, type Plan, type ScoredRun } from "../models/surfaces.js";
import { PageSession, type PagedParts } from "../worker/model/pageSession.js";
import { describeItem, presentCrossSell, presentUpgrade } from "../worker/recommend/present.js";
import { rowFeeds, type RowRequest } from "../worker/model/rowFeeds.js";
import { DATASETS, popularSkus } from "./datasets.js";
import { pagedFixture, type PagedFixture } from "./pagedEquality.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const rules = DEFAULT_RULES;

const dataset = DATASETS.find((d) => d.name === "50k");
if (dataset === undefined) throw new Error("no 50k dataset");
const models = join("bench", "out", "models-50k");
const [folder] = process.argv.slice(2);
const dir = folder ?? join(models, (await readdir(models)).sort().at(-1) ?? "");
const fixture = await pagedFixture(dir);
// Every page fits: the figure is the pipeline's, not the page reads'.
const parts = fixture.paged(1024 * 1024 * 1024);
const skus = await popularSkus(dataset.orders, 2000);

type Surface = "alsoBought" | "cart";
/** One request: its SKUs and, once scored, the reference scorer's run for its query. */
interface Request {
  skus: string[];
  run: ScoredRun | null;
}

const requests: Record<Surface, Request[]> = {
  alsoBought: skus.map((sku) => ({ skus: [sku], run: null })),
  cart: Array.from({ length: 500 }, (_, c) => ({
    skus: Array.from({ length: 10 }, (_, i) => skus[(c * 7 + i * 13) % skus.length] ?? ""),
    run: null,
  })),
};

/** A surface's plan with its answer presented (inside the page session's run, as in the worker). */
const presented = <A>(plan: Plan<A>, present: (answer: A) => unknown): Plan<unknown> => ({
  query: plan.query,
  answer: (run) => present(plan.answer(run)),
});

/** The request's plan, its answer presented as the worker's routes present it. */
function planOf(session: PageSession, surface: Surface, indices: number[]): Plan<unknown> {
  const { catalog } = session.shop;
  if (surface === "cart") {
    const lines = [...new Set(indices)].map((index) => ({
      index,
      quantity: 1,
      unitPriceMinor: catalog.price[index] ?? NO_PRICE,
    }));
    const plan = cart(session.shop, {
      lines,
      rules,
      stage: "product",
      exclude: new Set(),
      limit: rules.crossSell.limit,
    });
    return presented(plan, ({ crossSells, upgrades }) => ({
      items: crossSells.items.map((item) => presentCrossSell(catalog, item, true)),
      reasons: crossSells.reasons,
      upgrades: upgrades.map(({ line, selection }) => ({
        line: describeItem(catalog, line),
        items: selection.items.map((item) => presentUpgrade(catalog, item)),
      })),
    }));
  }
  const anchor = indices[0] ?? 0;
  const limit = rules.crossSell.limit;
  const plan = alsoBought(session.shop, { anchor, rules: rules.crossSell, exclude: new Set(), limit });
  return presented(plan, ({ items, reasons }) => ({
    anchor: describeItem(catalog, anchor),
    items: items.map((item) => presentCrossSell(catalog, item)),
    reasons,
  }));
}

/**
 * The reference scorer's candidates as the graph's TopK gives them to the worker: best first, ties in
 * the order the rows first name them (the reference's own order), so the rules see the worker's input.
 */
function bestFirst(run: ScoredRun): ScoredRun {
  const order = Array.from(run.items, (_, i) => i).sort((a, b) => (run.scores[b] ?? 0) - (run.scores[a] ?? 0) || a - b);
  return {
    items: order.map((i) => run.items[i] ?? -1),
    scores: order.map((i) => run.scores[i] ?? Number.NEGATIVE_INFINITY),
    similarity: run.similarity,
  };
}

/** One answer as the worker gives it (SKU lookup, the rules over pages, presentation), as JSON. */
async function answer(model: PagedParts, source: PagedFixture["source"], surface: Surface, request: Request) {
  const session = new PageSession(model);
  const found = await session.lookup(request.skus);
  const indices = request.skus.flatMap((sku) => {
    const index = found.get(sku);
    return index === undefined ? [] : [index];
  });
  const plan = planOf(session, surface, indices);
  request.run ??= plan.query === null ? { items: [], scores: [], similarity: [] } : bestFirst(source.score(plan.query));
  const run = request.run;
  return session.complete(() => JSON.stringify(plan.answer(run)));
}

/** What the worker asks the graph for one request (null: no run), as scoreQuery builds it. */
async function rowRequest(model: PagedParts, surface: Surface, request: Request): Promise<RowRequest | null> {
  const session = new PageSession(model);
  const found = await session.lookup(request.skus);
  const indices = request.skus.flatMap((sku) => {
    const index = found.get(sku);
    return index === undefined ? [] : [index];
  });
  const { query } = planOf(session, surface, indices);
  if (query === null) return null;
  const { basket, candidates, compare, compareAnchors } = query;
  const weights = basket.map(() => 1);
  return { basket, weights, topK: candidates ? basket.length * model.head.neighbours : 1, compare, compareAnchors };
}

/** The graph's inputs for one request, gathered by a new page session as the worker gathers them. */
function feeds(model: PagedParts, rows: RowRequest | null) {
  if (rows === null) return Promise.resolve(null);
  const session = new PageSession(model);
  return session.complete(() => rowFeeds(session.rows, rows, false));
}

/** Median µs a request of `step`, over every request, ROUNDS times. */
async function timed(list: readonly Request[], step: (request: Request) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const request of list) await step(request);
    times.push(((performance.now() - started) * 1000) / list.length);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] ?? NaN) * 10) / 10;
}

const figures: Record<string, number | string> = {};
// BENCH_SURFACES=cart (say) times one surface only, for a profile of it.
const surfaces = (["alsoBought", "cart"] as const).filter((s) =>
  (process.env.BENCH_SURFACES ?? s).split(",").includes(s),
);
for (const surface of surfaces) {
  const list = requests[surface];
  // Scores every request once (the reference scorer is slow) and reads every page.
  const digest = createHash("sha256");
  for (const request of list) digest.update(await answer(parts, fixture.source, surface, request));
  figures[`${surface}Us`] = await timed(list, (request) => answer(parts, fixture.source, surface, request));
  figures[`${surface}Answers`] = list.length;
  figures[`${surface}Sha256`] = digest.digest("hex").slice(0, 16);
  const rows = new Map<Request, RowRequest | null>();
  for (const request of list) rows.set(request, await rowRequest(parts, surface, request));
  figures[`${surface}FeedsUs`] = await timed(list, (request) => feeds(parts, rows.get(request) ?? null));
  process.stderr.write(
    `${surface}: ${figures[`${surface}Us`]} µs an answer, ${figures[`${surface}FeedsUs`]} µs its graph inputs (medians of ${ROUNDS} rounds)\n`,
  );
}
process.stdout.write(`${JSON.stringify({ dir, ...figures })}\n`);
