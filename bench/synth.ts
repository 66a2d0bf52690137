/**
 * Writes a synthetic shop of N items with a planted co-purchase structure, seeded so figures repeat:
 * `npm run bench:synth -- --items 50000` → bench/data/synth-50k/{orders,catalog}.csv.gz.
 *
 * Structure: 20 departments × 10 aisles × leaves of 50 items; each leaf is 10 variant families of
 * 5 tiers (good … best, each step 1.25× the price); each leaf has 3 complementary leaves. A basket
 * is one anchor (Zipf-popular) plus 1–4 items, 80% from the anchor's complementary leaves and 20%
 * from anywhere, so "also bought" has a right answer and upgrades have ladders.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { defineCommand, runMain } from "citty";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

const LEAF = 50;
const TIERS = 5;
const COMPLEMENTS = 3;
const DAY_MS = 86_400_000;

/** Cumulative Zipf(1) weights over n ranks, for sampling by binary search. */
export function zipf(n: number): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cumulative[r] = sum += 1 / (r + 1);
  for (let r = 0; r < n; r++) cumulative[r] = (cumulative[r] ?? 0) / sum;
  return cumulative;
}

export function pick(cumulative: ArrayLike<number>, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 1) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where bench:synth writes a shop of `items` items by default: bench/data/synth-<items/1000>k/, or
 * synth-<items/1000>k-<baskets/1000>kb/ for any other number of baskets than 5 × items.
 */
export function synthShop(items: number, baskets = 5 * items): { dir: string; orders: string; catalog: string } {
  const density = baskets === 5 * items ? "" : `-${Math.round(baskets / 1000)}kb`;
  const dir = join("bench", "data", `synth-${Math.round(items / 1000)}k${density}`);
  return { dir, orders: join(dir, "orders.csv.gz"), catalog: join(dir, "catalog.csv.gz") };
}

export interface SynthOptions {
  items: number;
  baskets: number;
  seed: number;
  out: string;
}

/** The product id of item i (its leaf is ⌊i / 50⌋). */
export const synthSku = (i: number): string => `S${String(i).padStart(7, "0")}`;

/** The leaf of a synthetic SKU (catalog column category_l3 = `L<leaf>`). */
export const synthLeaf = (sku: string): number => Math.floor(Number(sku.slice(1)) / LEAF);

export interface Planted {
  /** The generator, positioned after the planted structure (writeSynth draws the data from it). */
  rng: ReturnType<typeof xoroshiro128plus>;
  /** rank[r] = the item with global popularity rank r. */
  rank: number[];
  /** complements[leaf] = the leaves its baskets draw 80% of their other items from (may repeat). */
  complements: number[][];
}

/** The planted structure of a shop, exactly as writeSynth draws it for the same items and seed. */
export function plant(items: number, seed: number): Planted {
  const rng = xoroshiro128plus(seed);
  const leaves = Math.ceil(items / LEAF);
  // Popularity: a random permutation of Zipf ranks, globally and inside each leaf.
  const rank = Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [rank[i], rank[j]] = [rank[j] ?? 0, rank[i] ?? 0];
  }
  const complements = Array.from({ length: leaves }, () =>
    Array.from({ length: COMPLEMENTS }, () => uniformInt(rng, 0, leaves - 1)),
  );
  return { rng, rank, complements };
}

/**
 * Draws basket items as the synthetic shop's buyers pick them, from the generator it is given (so a
 * caller's own draws interleave exactly as before).
 */
export function basketDraws(planted: Pick<Planted, "rank" | "complements">, items: number, rng: Planted["rng"]) {
  const global = zipf(items);
  const inLeaf = zipf(LEAF);
  return {
    /** A Zipf-popular anchor. */
    anchor: (): number => planted.rank[pick(global, uniformFloat64(rng))] ?? 0,
    /**
     * One more item for the anchor's basket: 80% from its leaf's complementary leaves (null when that
     * lands past the catalog's end), 20% any Zipf-popular item.
     */
    companion: (anchor: number): number | null => {
      if (uniformFloat64(rng) < 0.8) {
        const other = planted.complements[Math.floor(anchor / LEAF)]?.[uniformInt(rng, 0, COMPLEMENTS - 1)] ?? 0;
        const item = other * LEAF + pick(inLeaf, uniformFloat64(rng));
        return item < items ? item : null;
      }
      return planted.rank[pick(global, uniformFloat64(rng))] ?? 0;
    },
  };
}

export async function writeSynth({ items, baskets, seed, out }: SynthOptions): Promise<void> {
  const planted = plant(items, seed);
  const { rng } = planted;
  const random = () => uniformFloat64(rng);
  const leaves = Math.ceil(items / LEAF);
  const sku = synthSku;
  const draw = basketDraws(planted, items, rng);
  const leafPrice = Array.from({ length: leaves }, () => Math.exp(1 + 2.5 * random()));

  await mkdir(out, { recursive: true });
  const catalogRows = function* () {
    yield "product_id,title,price,category_l1,category_l2,category_l3,variant_family,brand,tier\n";
    for (let i = 0; i < items; i++) {
      const leaf = Math.floor(i / LEAF);
      const family = Math.floor(i / TIERS);
      const tier = (i % TIERS) + 1;
      const price = ((leafPrice[leaf] ?? 1) * 1.25 ** (tier - 1) * (0.9 + 0.2 * random())).toFixed(2);
      const [d, a] = [Math.floor(leaf / 100) % 20, Math.floor(leaf / 10) % 10];
      yield `${sku(i)},Item ${i} tier ${tier},${price},D${d},D${d}A${a},L${leaf},F${family},B${family % 37},${tier}\n`;
    }
  };
  const orderRows = function* () {
    yield "order_id,timestamp,product_id,quantity\n";
    const start = Date.UTC(2026, 7, 1);
    for (let b = 0; b < baskets; b++) {
      const anchor = draw.anchor();
      const basket = new Set([anchor]);
      const size = uniformInt(rng, 1, 4);
      for (let k = 0; k < size; k++) {
        const item = draw.companion(anchor);
        if (item !== null) basket.add(item);
      }
      const at = new Date(start + Math.floor((b / baskets) * 90 * DAY_MS)).toISOString().slice(0, 19);
      for (const item of basket) yield `${b + 1},${at},${sku(item)},${uniformInt(rng, 1, 3)}\n`;
    }
  };
  // Rows in blocks of ~256 KiB: one stream chunk per row made 10 million lines take minutes.
  const blocks = function* (rows: Generator<string>) {
    let block: string[] = [];
    let size = 0;
    for (const row of rows) {
      block.push(row);
      size += row.length;
      if (size >= 1 << 18) {
        yield block.join("");
        block = [];
        size = 0;
      }
    }
    if (block.length > 0) yield block.join("");
  };
  const write = (rows: () => Generator<string>, name: string) =>
    pipeline(
      Readable.from(blocks(rows()), { objectMode: false }),
      createGzip({ level: 6 }),
      createWriteStream(join(out, name)),
    );
  await write(catalogRows, "catalog.csv.gz");
  await write(orderRows, "orders.csv.gz");
}

const main = defineCommand({
  meta: { name: "bench:synth", description: "Write a seeded synthetic shop with a planted co-purchase structure" },
  args: {
    items: { type: "string", description: "catalog size", default: "50000" },
    baskets: { type: "string", description: "orders (default 5 × items)" },
    seed: { type: "string", description: "random seed", default: "42" },
    out: { type: "string", description: "folder (default bench/data/synth-<items/1000>k)" },
  },
  async run({ args }) {
    const items = Number(args.items);
    if (!Number.isInteger(items) || items < LEAF * 2) throw new Error(`--items must be a whole number ≥ ${LEAF * 2}`);
    const baskets = args.baskets === undefined ? 5 * items : Number(args.baskets);
    const out = args.out ?? synthShop(items, baskets).dir;
    const started = performance.now();
    await writeSynth({ items, baskets, seed: Number(args.seed), out });
    console.log(`${out}: ${items} items, ${baskets} orders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  },
});

if (import.meta.url === `file://${process.argv[1]}`) await runMain(main);
