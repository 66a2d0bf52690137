import { defineCommand } from "citty";
import { writeArtifacts } from "../artifacts.js";
import { createReporter } from "../progress.js";
import { train } from "../train.js";
import { trainArgs, trainOptionsFrom } from "./trainArgs.js";

export const trainCommand = defineCommand({
  meta: {
    name: "train",
    description: "Learn co-purchase neighbours and embeddings; export ONNX model, catalog and manifest",
  },
  args: {
    orders: {
      type: "string",
      description:
        "order lines, a file or a glob (CSV, TSV, JSONL or Parquet; plain or .gz): order_id, product_id[, timestamp, quantity, unit_price, title]; omit for a catalog-only model",
    },
    "pair-counts": {
      type: "string",
      description:
        "co-purchase counts computed elsewhere instead of --orders: item_a, item_b, baskets (trainer/sql/pairCounts.sql writes them)",
    },
    ...trainArgs,
    out: { type: "string", description: "folder that receives <version>/", default: "models/out" },
    json: {
      type: "boolean",
      description:
        "print the manifest as JSON on stdout, and each step and the validation report as JSON lines on stderr",
      default: false,
    },
  },
  async run({ args }) {
    const reporter = createReporter({ json: args.json });
    const trained = await train({ ...trainOptionsFrom(args, reporter), pairCounts: args["pair-counts"] ?? null });
    const { dir, manifest } = await writeArtifacts(trained, args.out);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(manifest)}\n`);
    } else {
      const { model, head, pages } = manifest.blobs;
      const kib = (model.bytes + (head?.bytes ?? 0) + (pages?.bytes ?? 0)) / 1024;
      reporter.info(
        `model ${manifest.version}: ${manifest.model.itemCount} items, ${kib.toFixed(0)} KiB to serve in ${pages?.pages ?? 0} pages (${manifest.model.bytesPerItem} B/item) → ${dir}`,
      );
    }
  },
});
