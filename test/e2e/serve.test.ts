import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfigDocument } from "../../models/config/configDocument.js";
import { assign } from "../../models/experiments/assign.js";
import type { ExperimentReport } from "../../trainer/experiments/report.js";
import { readOrders } from "../../trainer/ingest/orders.js";
import { seededRandom } from "../../trainer/learn/linalg.js";
import { createReporter } from "../../trainer/progress.js";
import { bucketOf, signToken } from "../../worker/tokens/eventToken.js";
import { keysFrom, LOCAL_ONLY_TOKEN_KEY } from "../../worker/tokens/hmacKeys.js";
import { repoRoot, sampleOrders } from "../fixtures.js";
import { localEnv, startDevServer, type DevServer } from "./devServer.js";

const run = promisify(execFile);

/** Baskets of the bundled sample that hold the given product: what "also bought" must come from. */
async function coPurchasedWith(sku: string): Promise<Map<string, number>> {
  const baskets = await readOrders(sampleOrders, { maxRejectRate: 0.01, reporter: createReporter({ quiet: true }) });
  const anchor = baskets.skus.indexOf(sku);
  const counts = new Map<string, number>();
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    const items = baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1]);
    if (!items.includes(anchor)) continue;
    for (const item of items) {
      const other = baskets.skus[item];
      if (item !== anchor && other !== undefined) counts.set(other, (counts.get(other) ?? 0) + 1);
    }
  }
  return counts;
}

describe("train → publish --local → wrangler dev → HTTP", () => {
  let server: DevServer;
  let base: string;
  let persist: string;
  const log = () => server.log();

  beforeAll(async () => {
    server = await startDevServer(inject("seedModel").dir);
    base = server.base;
    persist = server.persist;
  });

  afterAll(() => server?.stop());

  it("serves suggestions for 85123A that were really bought with it, within the price rule", async () => {
    const response = await fetch(`${base}/v1/items/85123A/also-bought?limit=5`);
    expect(response.status, log()).toBe(200);
    const body = (await response.json()) as {
      anchor: { price: number };
      items: { sku: string; price: number }[];
      model: { version: string };
    };
    expect(body.model.version).toBe(inject("seedModel").version);
    expect(body.items).toHaveLength(5);
    const together = await coPurchasedWith("85123A");
    for (const item of body.items) {
      expect(item.sku).not.toBe("85123A");
      expect(item.price).toBeLessThanOrEqual(0.3 * body.anchor.price);
      // Seen together in at least the privacy floor of 5 distinct baskets.
      expect(together.get(item.sku) ?? 0, item.sku).toBeGreaterThanOrEqual(5);
    }
  });

  it("names the published version on /v1/model", async () => {
    const body = (await (await fetch(`${base}/v1/model`)).json()) as { version: string };
    expect(body.version).toBe(inject("seedModel").version);
  });

  it("runs an experiment from config push to report: the arm with the true lift comes out ahead", async () => {
    const sidecart = (...args: string[]) =>
      run(process.execPath, ["bin/sidecart.mjs", ...args, "--local", "--persist-to", persist], {
        cwd: repoRoot,
        env: localEnv,
      });
    const pushed = await sidecart("config", "push", "examples/config.experiment.json");
    expect(pushed.stderr).toMatch(/pushed examples\/config\.experiment\.json .*1 experiment, digest [0-9a-f]{16}/);
    const example = JSON.parse(await readFile(join(repoRoot, "examples/config.experiment.json"), "utf8")) as unknown;
    const parsed = parseConfigDocument(example);
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    const [experiment] = parsed.document.experiments;
    if (!experiment) throw new Error("the example has no experiment");

    const variantOf = async (unit: string) => {
      const response = await fetch(`${base}/v1/items/85123A/also-bought?limit=6&unit=${unit}`);
      const body = (await response.json()) as { experiments: { variant: string }[]; items: { price: number }[] };
      return { variant: body.experiments[0]?.variant, prices: body.items.map((i) => i.price) };
    };
    for (let i = 0; i < 20 && (await variantOf("probe")).variant === undefined; i++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    // wrangler dev's workerd and Node agree on every unit's arm, and each arm keeps its own price anchor.
    for (let i = 0; i < 100; i++) {
      const { variant, prices } = await variantOf(`shopper-${i}`);
      expect(variant).toBe(assign(experiment, `shopper-${i}`).variant);
      const ratio = variant === "tight" ? 0.2 : 0.3;
      for (const price of prices) expect(price).toBeLessThanOrEqual(ratio * 2.95 + 1e-9);
    }

    // A scripted stream: 4,000 shoppers, 1–5 impressions each (one per shown SKU: an event counts once per
    // answer, type and SKU); true CTR 5% in control, 7% in tight.
    const shown = ["22423", "21212", "47566", "84879", "22720"];
    const truth: Record<string, number> = { control: 0.05, tight: 0.07 };
    const random = seededRandom(20261125);
    const events: Record<string, unknown>[] = [];
    // Each shopper's events carry the token of the answer they were shown, as the widget's do: minted here
    // with the key wrangler dev signs with (no EVENT_TOKEN_KEY set), rather than 4,000 more requests.
    const keys = await keysFrom(LOCAL_ONLY_TOKEN_KEY);
    for (let i = 0; i < 4000; i++) {
      const unit = `shopper-${i}`;
      const variant = assign(experiment, unit).variant;
      const labels = [{ id: experiment.id, variant }];
      const claims = { unit, surface: "also-bought", anchor: "85123A", model: "e2e", labels } as const;
      const token = await signToken(keys, { ...claims, bucket: bucketOf(Date.now()), shown });
      const base = {
        anchor: "85123A",
        surface: "also-bought",
        experiment: experiment.id,
        variant,
        unit,
        token,
      };
      for (let k = 0; k <= i % 5; k++) {
        const sku = shown[k] ?? "";
        events.push({ ...base, sku, type: "impression" });
        if (random() >= (truth[variant] ?? 0)) continue;
        events.push({ ...base, sku, type: "click" });
        if (random() < 0.4) events.push({ ...base, sku, type: "add_to_cart", value: 12.75 });
      }
    }
    for (let start = 0; start < events.length; start += 500) {
      const response = await fetch(`${base}/v1/events`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ events: events.slice(start, start + 500) }),
      });
      expect(response.status).toBe(202);
    }

    const impressions = events.filter((e) => e.type === "impression").length;
    let reports: ExperimentReport[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      // The worker writes after answering; wait until every impression has landed.
      reports = (
        JSON.parse((await sidecart("experiments", "report", "--json")).stdout) as { experiments: ExperimentReport[] }
      ).experiments;
      if (reports[0]?.arms.reduce((n, a) => n + a.impressions, 0) === impressions) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const [report] = reports;
    expect(report?.id).toBe("price-anchor");
    expect(report?.control).toBe("control");
    expect(report?.arms.reduce((n, a) => n + a.impressions, 0)).toBe(impressions);
    expect(report?.arms.reduce((n, a) => n + a.units, 0)).toBe(4000);
    expect(report?.srm?.mismatch).toBe(false);
    const control = report?.arms.find((a) => a.variant === "control");
    const tight = report?.arms.find((a) => a.variant === "tight");
    for (const arm of [control, tight]) {
      const ctr = arm?.metrics.ctr;
      const expected = truth[arm?.variant ?? ""] ?? NaN;
      expect(ctr?.low).toBeLessThan(expected);
      expect(ctr?.high).toBeGreaterThan(expected);
    }
    const lift = tight?.vsControl?.ctr;
    expect(lift?.difference).toBeGreaterThan(0);
    expect(lift?.low).toBeGreaterThan(0);
    expect(lift?.low).toBeLessThan(0.02);
    expect(lift?.high).toBeGreaterThan(0.02);
    expect(lift?.pValue).toBeLessThan(0.001);

    const text = (await sidecart("experiments", "report")).stdout;
    expect(text).toMatch(/experiment price-anchor: 4000 units in 2 arms, control "control"/);
    expect(text).toMatch(/^tight .*p=/m);
    expect(text).toMatch(/consistent with the weights/);
  });
});
