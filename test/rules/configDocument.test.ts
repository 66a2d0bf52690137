import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigDocument, type ExperimentConfig } from "../../models/config/configDocument.js";
import { effectiveRules, resolveRules } from "../../models/config/rulesConfig.js";
import { armsFor, assign, unitDraws } from "../../models/experiments/assign.js";
import { repoRoot } from "../fixtures.js";

const experiment = (id: string, overrides: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  id,
  salt: `${id}-salt`,
  enabled: true,
  traffic: 1,
  surfaces: ["also-bought"],
  variants: [
    { name: "control", weight: 1, rules: {} },
    { name: "tight", weight: 1, rules: { crossSell: { priceRatio: 0.2 } } },
  ],
  ...overrides,
});

describe("the config document", () => {
  it("accepts the shipped example", async () => {
    const text = await readFile(join(repoRoot, "examples/config.experiment.json"), "utf8");
    const parsed = parseConfigDocument(JSON.parse(text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [only] = parsed.document.experiments;
    expect(only?.id).toBe("price-anchor");
    expect(only?.variants.map((v) => [v.name, v.weight, v.rules.crossSell?.priceRatio])).toEqual([
      ["control", 1, 0.3],
      ["tight", 1, 0.2],
    ]);
  });

  it("names the JSON path and the problem", () => {
    const parsed = parseConfigDocument({
      cors: { origins: ["shop.example"] },
      experiments: [experiment("a", { traffic: 1.5, variants: [{ name: "unassigned", weight: 1, rules: {} }] })],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cors\.origins\[0\]: /),
        expect.stringMatching(/^experiments\[0\]\.traffic: Too big/),
        expect.stringMatching(/^experiments\[0\]\.variants: Too small/),
        expect.stringMatching(/^experiments\[0\]\.variants\[0\]\.name: .*reserved/),
      ]),
    );
  });

  it("refuses absurd rule values (a zero price ratio, a limit of 10,000), naming each", () => {
    const parsed = parseConfigDocument({
      rules: { crossSell: { priceRatio: 0, limit: 10_000 }, upsell: { priceBand: -1 } },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.crossSell\.priceRatio: Too small/),
        expect.stringMatching(/^rules\.crossSell\.limit: Too big/),
        expect.stringMatching(/^rules\.upsell\.priceBand: /),
      ]),
    );
  });

  it("refuses two enabled experiments that vary the same knob on the same surface", () => {
    const clash = parseConfigDocument({
      experiments: [experiment("a"), experiment("b", { surfaces: ["cart", "also-bought"] })],
    });
    expect(clash.ok).toBe(false);
    if (!clash.ok)
      expect(clash.errors.join("\n")).toMatch(/experiments\[1\]: overrides crossSell\.priceRatio on also-bought.*"a"/);
    // Different surfaces, a disabled one, or different knobs are fine.
    const fine = [
      [experiment("a"), experiment("b", { surfaces: ["cart"] })],
      [experiment("a"), experiment("b", { enabled: false })],
      [
        experiment("a"),
        experiment("b", {
          variants: [
            { name: "control", weight: 1, rules: {} },
            { name: "wide", weight: 1, rules: { crossSell: { maxPerCategory: 3 } } },
          ],
        }),
      ],
    ];
    for (const experiments of fine) expect(parseConfigDocument({ experiments }).ok).toBe(true);
  });

  it("refuses duplicate ids, duplicate variants and a control that is not a variant", () => {
    const parsed = parseConfigDocument({
      experiments: [
        experiment("a", { control: "nobody" }),
        experiment("a", {
          surfaces: ["cart"],
          variants: [
            { name: "x", weight: 1, rules: {} },
            { name: "x", weight: 2, rules: {} },
          ],
        }),
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.join("\n")).toMatch(/experiments\[1\]\.id: "a" is used twice/);
    expect(parsed.errors.join("\n")).toMatch(/experiments\[1\]\.variants\[1\]\.name: "x" is used twice/);
    expect(parsed.errors.join("\n")).toMatch(/experiments\[0\]\.control: names no variant/);
  });
});

describe("assignment", () => {
  it("is uniform: 100,000 units fill ten equal bins within chance", () => {
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const { arm } = unitDraws("salt", `user-${i}`);
      bins[Math.floor(arm * 10)] = (bins[Math.floor(arm * 10)] ?? 0) + 1;
    }
    // Chi-square with 9 df: 27.9 is the 0.999 quantile.
    const chi = bins.reduce((sum, n) => sum + (n - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it("follows the weights and keeps enrolled units in their arm when traffic ramps up", () => {
    const weighted = experiment("w", {
      variants: [
        { name: "a", weight: 3, rules: {} },
        { name: "b", weight: 1, rules: {} },
      ],
    });
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++) {
      const { variant } = assign(weighted, `u${i}`);
      counts[variant] = (counts[variant] ?? 0) + 1;
    }
    expect((counts.a ?? 0) / 20_000).toBeCloseTo(0.75, 1);
    const at10 = { ...weighted, traffic: 0.1 };
    const at50 = { ...weighted, traffic: 0.5 };
    let enrolled = 0;
    for (let i = 0; i < 5_000; i++) {
      const before = assign(at10, `u${i}`);
      if (before.variant === "excluded") continue;
      enrolled++;
      expect(assign(at50, `u${i}`).variant).toBe(before.variant);
    }
    expect(enrolled).toBeGreaterThan(400);
    expect(enrolled).toBeLessThan(600);
  });

  it("labels a missing unit unassigned, and a new salt reshuffles", () => {
    expect(assign(experiment("a"), undefined)).toEqual({ variant: "unassigned", config: null });
    let moved = 0;
    for (let i = 0; i < 1000; i++) {
      if (assign(experiment("a"), `u${i}`).variant !== assign(experiment("a", { salt: "new" }), `u${i}`).variant)
        moved++;
    }
    expect(moved).toBeGreaterThan(400);
    expect(moved).toBeLessThan(600);
  });

  it("applies a variant's knobs over the stage's", () => {
    const rules = resolveRules({ stages: { checkout: { crossSell: { priceRatio: 0.5 } } } });
    const unit = Array.from({ length: 100 }, (_, i) => `u${i}`).find(
      (u) => assign(experiment("a"), u).variant === "tight",
    );
    const arms = armsFor([experiment("a")], "also-bought", unit);
    expect(arms.labels).toEqual([{ id: "a", variant: "tight" }]);
    expect(effectiveRules(rules, "checkout", arms.rules).crossSell.priceRatio).toBe(0.2);
    expect(effectiveRules(rules, "checkout").crossSell.priceRatio).toBe(0.5);
    expect(armsFor([experiment("a")], "cart", unit).labels).toEqual([]);
    expect(armsFor([experiment("a", { enabled: false })], "also-bought", unit).labels).toEqual([]);
  });
});
