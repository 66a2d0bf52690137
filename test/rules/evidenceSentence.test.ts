import { describe, expect, it } from "vitest";
import { evidenceLine } from "../../widget/format.js";

const price = (v: number) => `£${v.toFixed(2)}`;

describe("the widget's evidence sentence says what its level's numbers are about", () => {
  it("item pairs: buyers of this product", () => {
    const line = evidenceLine(
      "also-bought",
      { sku: "A", title: "A", price: 1, source: "item", evidence: { confidence: 0.314 } },
      price,
    );
    expect(line).toBe("31% of buyers also bought");
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
  it("graph: the product in between, never a claim about the anchor and this product", () => {
    const item = {
      sku: "C",
      title: "C",
      price: 1,
      source: "graph" as const,
      evidence: { confidence: 0.2, via: { sku: "V", title: "Tea light holder", relation: "bought_with" as const } },
    };
    expect(evidenceLine("also-bought", item, price)).toBe("Often bought with Tea light holder, which goes with this");
  });
  it("graph through a variant: says it is another version of this product", () => {
    const item = {
      sku: "D",
      title: "D",
      price: 1,
      source: "graph" as const,
      evidence: { confidence: 0.4, via: { sku: "P", title: "Pink regency teacup", relation: "variant" as const } },
    };
    expect(evidenceLine("also-bought", item, price)).toBe(
      "Often bought with Pink regency teacup, another version of this",
    );
  });
  it("graph through a lookalike: says it is a product like this", () => {
    const item = {
      sku: "E",
      title: "E",
      price: 1,
      source: "graph" as const,
      evidence: { confidence: 0.3, via: { sku: "W", title: "Wrap Christmas village", relation: "lookalike" as const } },
    };
    expect(evidenceLine("also-bought", item, price)).toBe(
      "Often bought with Wrap Christmas village, a product like this",
    );
  });
});
