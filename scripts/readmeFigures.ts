// npm run readme:figures: trains on the two bundled data sets with the trainer's defaults, measures
// the README's deterministic figures (sizes and counts) and rewrites them between their markers.
// test/trainer/readmeFigures.test.ts fails when the README and this measurement disagree.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { train, TRAIN_DEFAULTS } from "../trainer/train.js";
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
  const before = await readFile("README.md", "utf8");
  const old = readFigures(before);
  await writeFile("README.md", writeFigures(before, figures));
  for (const [name, value] of Object.entries(figures)) {
    const was = old[name];
    console.log(
      `${name}: ${value}${was === undefined ? " (not in the README)" : was === value ? "" : ` (was ${was})`}`,
    );
  }
} finally {
  await rm(out, { recursive: true, force: true });
}
