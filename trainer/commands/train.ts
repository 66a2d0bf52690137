import { defineCommand } from "citty";
import { writeArtifacts } from "../artifacts.js";
import { createReporter } from "../progress.js";
import { train } from "../train.js";
import { numberArg } from "./args.js";

export const trainCommand = defineCommand({
  meta: {
    name: "train",
    description: "Learn co-purchase neighbours and embeddings; export ONNX model, catalog and manifest",
  },
  args: {
    orders: {
      type: "string",
      description: "order lines CSV (plain or .gz): order_id, product_id[, timestamp, quantity]",
      required: true,
    },
    catalog: {
      type: "string",
      description: "catalog CSV (plain or .gz): product_id[, title, price, category…, brand]",
      required: true,
    },
    out: { type: "string", description: "folder that receives <version>/", default: "models/out" },
    currency: { type: "string", description: "ISO 4217 currency of the catalog prices", default: "USD" },
    dim: { type: "string", description: "embedding dimension", default: "32" },
    neighbours: { type: "string", description: "co-purchase neighbours kept per item", default: "32" },
    "min-support": { type: "string", description: "privacy floor: distinct baskets a pair needs", default: "5" },
    "max-basket": { type: "string", description: "baskets with more distinct items add no pairs", default: "100" },
    "addon-slots": {
      type: "string",
      description: "neighbour slots kept for cheap add-ons (price-anchor candidates)",
      default: "16",
    },
    "addon-price-ratio": {
      type: "string",
      description: "an add-on costs at most this share of the item",
      default: "0.5",
    },
    "embedding-weight": { type: "string", description: "weight of embedding similarity in the score", default: "0.05" },
    "max-reject-rate": {
      type: "string",
      description: "fail when more than this share of order rows is rejected",
      default: "0.01",
    },
    seed: { type: "string", description: "random seed (training is repeatable)", default: "1" },
    json: { type: "boolean", description: "print the manifest as JSON on stdout", default: false },
  },
  async run({ args }) {
    const reporter = createReporter({ quiet: args.json });
    const neighbours = numberArg("neighbours", args.neighbours, { min: 1, max: 256, integer: true });
    const trained = await train({
      orders: args.orders,
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
      const kib = (manifest.blobs.model.bytes + manifest.blobs.catalog.bytes) / 1024;
      reporter.info(
        `model ${manifest.version}: ${manifest.model.itemCount} items, ${kib.toFixed(0)} KiB (${manifest.model.bytesPerItem} B/item) → ${dir}`,
      );
    }
  },
});
