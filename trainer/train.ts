import { createReadStream } from "node:fs";
import type { CatalogRows } from "../models/catalog.js";
import { sha256Stream } from "../models/digest.js";
import type { EvidenceRows } from "../models/evidence.js";
import type { ScoringTables } from "../models/scoringTables.js";
import { buildCatalogRows } from "./catalogRows.js";
import type { ColumnMap } from "./ingest/columnMap.js";
import type { IngestReport } from "./ingest/orders.js";
import { readCounts } from "./ingest/readInputs.js";
import { reportValidation } from "./ingest/validationReport.js";
import { learnModel, type Learner, type LearnOptions } from "./learn/learnModel.js";
import { categoryLevel } from "./learn/categoryAffinity.js";
import { evidenceRows } from "./evidenceRows.js";
import { lookalikeLevel } from "./learn/titleLookalikes.js";
import { currencyExponent } from "./currency.js";
import type { Reporter } from "./progress.js";

export interface TrainOptions extends LearnOptions {
  /** Order lines (a path or a glob); absent for a catalog-only model (upgrades, no co-purchase evidence). */
  orders: string | null;
  /** The catalog; absent to derive it from the order lines' title and unit_price columns. */
  catalog: string | null;
  /** Precomputed co-purchase counts instead of order lines (trainer/sql/pairCounts.sql). */
  pairCounts?: string | null;
  /** The shop's column names for sidecart's (--map); none by default. */
  map?: ColumnMap;
  currency: string;
  excludeCategories: readonly string[];
  maxBasket: number;
  /** Weigh each basket's pairs by its size (trainer/learn/coPurchase.ts). */
  basketWeights: boolean;
  maxRejectRate: number;
  reporter: Reporter;
}

/** Defaults of every learning knob (the CLI's flags show the same). */
export const TRAIN_DEFAULTS = {
  currency: "USD",
  excludeCategories: [] as readonly string[],
  dimension: 32,
  neighbours: 32,
  minSupport: 2,
  maxBasket: 1000,
  basketWeights: true,
  addonSlots: 16,
  addonPriceRatio: 0.5,
  embeddingWeight: 0,
  maxRejectRate: 0.01,
  seed: 1,
  easeLambda: 20,
  easeDropout: 0.25,
  confidenceBlend: 1,
  blendPower: 3,
  weightedSlots: 10,
  learner: "auto",
  maxEaseItems: 5_000,
  easeCandidates: 64,
} satisfies Partial<TrainOptions>;

export interface TrainedModel {
  tables: ScoringTables;
  catalog: CatalogRows;
  evidence: EvidenceRows;
  window: { from: string; to: string };
  dataFingerprint: string;
  report: IngestReport;
  stats: Record<string, number>;
  /** What gave the neighbour weights. */
  learner: Learner;
}

async function fingerprint(paths: readonly string[]): Promise<string> {
  const hash = sha256Stream();
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.hex();
}

/** Reads the inputs and learns everything the exported model holds. */
export async function train(options: TrainOptions): Promise<TrainedModel> {
  const { reporter } = options;
  const exponent = currencyExponent(options.currency);
  const {
    entries,
    skus,
    co,
    baskets,
    totalBaskets,
    window: span,
    report,
    files,
    catalogSource,
  } = await readCounts(options);
  const n = skus.length;
  const catalog = buildCatalogRows(skus, entries, options.currency, exponent);
  const { tables, lists, learner } = learnModel(co, catalog.prices, totalBaskets, options, reporter);

  // With --pair-counts there are no baskets to count category pairs in (item pair counts cannot give
  // them: a basket with two items of each of two categories holds four item pairs but one category
  // pair), and a catalog-only model has none: the category level stays absent.
  const level = baskets && options.orders !== null ? categoryLevel(baskets, catalog, options, reporter) : undefined;

  const lookalikes = lookalikeLevel(catalog, co.itemBaskets, options.minSupport);

  const window = span
    ? { from: new Date(span.from).toISOString(), to: new Date(span.to).toISOString() }
    : { from: new Date(0).toISOString(), to: new Date(0).toISOString() };
  const sold = report.productsSold;

  const productsWithoutCatalogRow = n - entries.size;
  const catalogRowsNeverSold = entries.size - [...entries.keys()].filter((_, i) => (co.itemBaskets[i] ?? 0) > 0).length;
  reportValidation(reporter, { ...report, catalogSource, productsWithoutCatalogRow, catalogRowsNeverSold });

  return {
    tables,
    catalog,
    evidence: evidenceRows({ co, lists, totalBaskets, minSupport: options.minSupport, categories: level, lookalikes }),
    window,
    dataFingerprint: await fingerprint(files),
    report: report,
    learner,
    stats: {
      rowsRead: report.rowsRead,
      rowsAccepted: report.rowsAccepted,
      rowsSkipped: report.rowsSkipped,
      orders: report.orders,
      items: n,
      itemsSold: sold,
      itemPairs: co.cols.length / 2,
      basketsCounted: co.basketsCounted,
      basketsOverCap: co.basketsOverCap,
      neighbourCoverage: lists.coverage,
      easeWeights: learner === "dense" || learner === "sparse" ? 1 : 0,
      productsWithoutCatalogRow,
      catalogRowsNeverSold,
    },
  };
}
