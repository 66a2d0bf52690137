import { describe, expect, it } from "vitest";
import { evidenceLine } from "../../widget/format.js";

const price = (v: number) => `£${v.toFixed(2)}`;

describe("the widget's evidence sentence says what its level's numbers are about", () => {
  it("item pairs: a share of the orders with this product", () => {
    const line = evidenceLine(
      "also-bought",
      { sku: "A", title: "A", price: 1, source: "item", evidence: { confidence: 0.314 } },
      price,
    );
    expect(line).toBe("In 31% of orders with this");
  });
  it("category pairs: orders with the two categories, by their last level", () => {
    const item = {
      sku: "B",
      title: "B",
      price: 1,
      source: "category" as const,
      evidence: {
        confidence: 0.34,
        categories: { anchor: "Phones > Phone cases", item: "Phones > Screen protectors" },
      },
    };
    expect(evidenceLine("also-bought", item, price)).toBe("34% of orders with Phone cases also had Screen protectors");
  });
  // Graph level: the product in between, never a claim about the anchor and this product.
  const viaItem = (confidence: number, title: string, relation: "bought_with" | "variant" | "lookalike") => ({
    sku: "G",
    title: "G",
    price: 1,
    source: "graph" as const,
    evidence: { confidence, via: { sku: "V", title, relation } },
  });
  it.each([
    [
      "bought with the anchor: says it goes with this",
      viaItem(0.2, "Tea light holder", "bought_with"),
      "Often bought with Tea light holder, which goes with this",
    ],
    [
      "through a variant: says it is another version of this product",
      viaItem(0.4, "Pink regency teacup", "variant"),
      "Often bought with Pink regency teacup, another version of this",
    ],
    [
      "through a lookalike: says it is a product like this",
      viaItem(0.3, "Wrap Christmas village", "lookalike"),
      "Often bought with Wrap Christmas village, a product like this",
    ],
  ])("graph %s", (_name, item, sentence) => {
    expect(evidenceLine("also-bought", item, price)).toBe(sentence);
  });
});
