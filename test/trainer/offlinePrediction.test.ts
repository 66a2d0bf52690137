import { describe, expect, it } from "vitest";
import { formatOfflinePrediction, readOfflinePrediction } from "../../trainer/experiments/offlinePrediction.js";
import { tempFile } from "./helpers.js";

const task = (hr: number, revenue: number) => ({ coverage: 0.9, "HR@10": hr, "revenue@10": revenue, queries: 10 });
const servedFigures = (hr: number, revenue: number) => ({
  currency: "GBP",
  anchor: task(hr, revenue),
  basket: task(0.05, 100),
  upgrades: task(0.7, 5),
});

describe("experiments report --offline: the rules-on eval's prediction per arm", () => {
  it("lists each arm's served figures from an eval JSON", async () => {
    const file = await tempFile(
      "eval.json",
      JSON.stringify({
        cut: "2011-05-01",
        models: {
          sidecart: {
            served: {
              ...servedFigures(0.14, 11_937),
              config: "examples/config.experiment.json",
              arms: { "price-anchor": { control: servedFigures(0.14, 11_937), tight: servedFigures(0.09, 6_708) } },
            },
          },
        },
      }),
    );
    const text = formatOfflinePrediction(await readOfflinePrediction(file));
    expect(text).toMatch(/price-anchor +control +90\.0% +0\.1400 +11,937 GBP/);
    expect(text).toMatch(/price-anchor +tight +90\.0% +0\.0900 +6,708 GBP/);
  });

  it("refuses a file that is not an eval JSON with arms, in one line", async () => {
    await expect(readOfflinePrediction(await tempFile("x.json", "{}"))).rejects.toThrow(/not an eval JSON/);
    const noArms = await tempFile(
      "e.json",
      JSON.stringify({
        cut: "x",
        models: { sidecart: { served: { ...servedFigures(0.1, 1), config: "default", arms: {} } } },
      }),
    );
    await expect(readOfflinePrediction(noArms)).rejects.toThrow(/no experiment arms/);
  });
});
