import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UserError } from "../errors.js";
import { textTable } from "../textTable.js";

const task = z.looseObject({ coverage: z.number(), "HR@10": z.number(), "revenue@10": z.number() });
const served = z.looseObject({ currency: z.string(), anchor: task, basket: task });
const evalFile = z.looseObject({
  cut: z.string(),
  models: z.looseObject({
    sidecart: z.looseObject({
      served: served.extend({ config: z.string(), arms: z.record(z.string(), z.record(z.string(), served)) }),
    }),
  }),
});

/** What the rules-on eval predicted for each arm (`sidecart eval --config … --json`). */
export interface OfflinePrediction {
  file: string;
  cut: string;
  config: string;
  currency: string;
  arms: Record<string, Record<string, z.infer<typeof served>>>;
}

/** Reads an eval JSON; one clear line when it is not one or was run without experiments. */
export async function readOfflinePrediction(file: string): Promise<OfflinePrediction> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UserError(
      `${file}: not a readable eval JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const parsed = evalFile.safeParse(value);
  if (!parsed.success) {
    throw new UserError(
      `${file}: not an eval JSON with served figures (write one with sidecart eval --config FILE --json)`,
    );
  }
  const s = parsed.data.models.sidecart.served;
  if (Object.keys(s.arms).length === 0) {
    throw new UserError(`${file}: has no experiment arms (run sidecart eval with --config naming the experiments)`);
  }
  return { file, cut: parsed.data.cut, config: s.config, currency: s.currency, arms: s.arms };
}

/** The offline prediction beside the online report: one row per experiment arm. */
export function formatOfflinePrediction(offline: OfflinePrediction): string {
  const money = (x: number) => `${x.toLocaleString("en-GB", { maximumFractionDigits: 0 })} ${offline.currency}`;
  const rows = Object.entries(offline.arms).flatMap(([experiment, arms]) =>
    Object.entries(arms).map(([arm, m]) => [
      experiment,
      arm,
      `${(100 * m.anchor.coverage).toFixed(1)}%`,
      m.anchor["HR@10"].toFixed(4),
      money(m.anchor["revenue@10"]),
      m.basket["HR@10"].toFixed(4),
      money(m.basket["revenue@10"]),
    ]),
  );
  return [
    `Offline prediction (${offline.file}: rules-on eval of ${offline.config}, test orders from ${offline.cut}):`,
    ...textTable(
      ["experiment", "arm", "also-bought answered", "HR@10", "revenue@10", "cart HR@10", "cart revenue@10"],
      rows,
    ),
    "Online and offline agree when the arms rank the same way on revenue per impression and revenue@10.",
  ].join("\n");
}
