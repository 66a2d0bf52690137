import { defineCommand } from "citty";
import { writeArtifacts } from "../artifacts.js";
import { createReporter } from "../progress.js";
import { train, TRAIN_DEFAULTS as D } from "../train.js";
import { numberArg } from "./args.js";

export const trainCommand = defineCommand({
  meta: {
    name: "train",
    description: "Learn co-purchase neighbours and embeddings; export ONNX model, catalog and manifest",
  },
  args: {
    orders: {
      type: "string",
      description:
        "order lines CSV (plain or .gz): order_id, product_id[, timestamp, quantity]; omit for a catalog-only model",
    },
    catalog: {
      type: "string",
      description: "catalog CSV (plain or .gz): product_id[, title, price, category…, brand]",
      required: true,
    },
    out: { type: "string", description: "folder that receives <version>/", default: "models/out" },
    "exclude-categories": {
      type: "string",
      description: "comma-separated top-level categories to leave out (e.g. FUEL,MISCELLANEOUS)",
      default: "",
    },
    currency: { type: "string", description: "ISO 4217 currency of the catalog prices", default: D.currency },
    dim: { type: "string", description: "embedding dimension", default: String(D.dimension) },
    neighbours: { type: "string", description: "co-purchase neighbours kept per item", default: String(D.neighbours) },
    "min-support": {
      type: "string",
      description: "privacy floor: distinct baskets a pair needs",
      default: String(D.minSupport),
    },
    "max-basket": {
      type: "string",
      description: "baskets with more distinct items add no pairs",
      default: String(D.maxBasket),
    },
    "addon-slots": {
      type: "string",
      description: "neighbour slots kept for cheap add-ons (price-anchor candidates)",
      default: String(D.addonSlots),
    },
    "addon-price-ratio": {
      type: "string",
      description: "an add-on costs at most this share of the item",
      default: String(D.addonPriceRatio),
    },
    "embedding-weight": {
      type: "string",
      description: "weight of embedding similarity in the score",
      default: String(D.embeddingWeight),
    },
    "max-reject-rate": {
      type: "string",
      description: "fail when more than this share of order rows is rejected",
      default: String(D.maxRejectRate),
    },
    seed: { type: "string", description: "random seed (training is repeatable)", default: String(D.seed) },
    json: { type: "boolean", description: "print the manifest as JSON on stdout", default: false },
  },
  async run({ args }) {
    const reporter = createReporter({ quiet: args.json });
    const neighbours = numberArg("neighbours", args.neighbours, { min: 1, max: 256, integer: true });
    const trained = await train({
      orders: args.orders ?? null,
      excludeCategories: args["exclude-categories"]
        .split(",")
        .map((c) => c.trim())
        .filter((c) => c !== ""),
      catalog: args.catalog,
      currency: args.currency,
      dimension: numberArg("dim", args.dim, { min: 2, max: 256, integer: true }),
      neighbours,
      minSupport: numberArg("min-support", args["min-support"], { min: 1, max: 1e9, integer: true }),
      maxBasket: numberArg("max-basket", args["max-basket"], { min: 2, max: 1e6, integer: true }),
      addonSlots: numberArg("addon-slots", args["addon-slots"], { min: 0, max: neighbours, integer: true }),
      addonPriceRatio: numberArg("addon-price-ratio", args["addon-price-ratio"], { min: 0, max: 10 }),
      embeddingWeight: numberArg("embedding-weight", args["embedding-weight"], { min: 0, max: 1e3 }),
      maxRejectRate: numberArg("max-reject-rate", args["max-reject-rate"], { min: 0, max: 1 }),
      seed: numberArg("seed", args.seed, { min: 0, max: 2 ** 32 - 1, integer: true }),
      reporter,
    });
    const { dir, manifest } = await writeArtifacts(trained, args.out);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(manifest)}\n`);
    } else {
      const { model, catalog, evidence } = manifest.blobs;
      const kib = (model.bytes + catalog.bytes + evidence.bytes) / 1024;
      reporter.info(
        `model ${manifest.version}: ${manifest.model.itemCount} items, ${kib.toFixed(0)} KiB (${manifest.model.bytesPerItem} B/item) → ${dir}`,
      );
    }
  },
});
