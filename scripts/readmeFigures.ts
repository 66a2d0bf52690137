// npm run readme:figures: trains on the two bundled data sets with the trainer's defaults, measures
// the deterministic figures (sizes and counts) quoted in README.md and docs/*.md and rewrites them
// between their markers.
// test/trainer/readmeFigures.test.ts fails when those pages and this measurement disagree.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { train, TRAIN_DEFAULTS } from "../trainer/train.js";
import { joinedText, readFigureDocuments, writeFigureDocuments } from "./readmeFigures.files.js";
import { readFigures, writeFigures } from "./readmeFigures.markers.js";
import { measuredOn, measureFigures } from "./readmeFigures.measure.js";

async function trainBundled(root: string, orders: string, catalog: string, currency: string) {
  const trained = await train({
    ...TRAIN_DEFAULTS,
    orders,
    catalog,
    currency,
    reporter: createReporter({ quiet: true }),
  });
  return (await writeArtifacts(trained, root)).manifest;
}

const out = await mkdtemp(join(tmpdir(), "sidecart-figures-"));
try {
  const models = {
    sample: await trainBundled(out, "data/orders.csv.gz", "data/catalog.csv.gz", "GBP"),
    journey: await trainBundled(
      out,
      "data/completejourney/orders.csv.gz",
      "data/completejourney/catalog.csv.gz",
      "USD",
    ),
  };
  const figures = { ...(await measureFigures(".", models)), "measured-on": measuredOn() };
  const documents = await readFigureDocuments(".");
  const old = readFigures(joinedText(documents));
  await writeFigureDocuments(
    ".",
    documents.map(({ path, text }) => ({ path, text: writeFigures(text, figures) })),
  );
  for (const [name, value] of Object.entries(figures)) {
    const was = old[name];
    console.log(
      `${name}: ${value}${was === undefined ? " (not in README.md or docs/)" : was === value ? "" : ` (was ${was})`}`,
    );
  }
} finally {
  await rm(out, { recursive: true, force: true });
}
