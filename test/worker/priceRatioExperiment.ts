/**
 * A live two-arm experiment on also-bought, as the config document writes it: "control" keeps the
 * default cross-sell price anchor (0.3 × the anchor's price), "tight" lowers it to `tightRatio`, so the
 * arms' answers differ in a way a test can see.
 */
export function priceRatioExperiment(id: string, salt: string, tightRatio: number) {
  return {
    id,
    salt,
    enabled: true,
    traffic: 1,
    surfaces: ["also-bought"],
    variants: [
      { name: "control", weight: 1, rules: { crossSell: { priceRatio: 0.3 } } },
      { name: "tight", weight: 1, rules: { crossSell: { priceRatio: tightRatio } } },
    ],
  };
}
