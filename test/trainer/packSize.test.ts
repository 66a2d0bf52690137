import { describe, expect, it } from "vitest";
import { PackMeasure } from "../../models/catalog.js";
import { parsePackSize } from "../../trainer/packSize.js";

const OZ = 28.349523125;
const GAL = 3785.411784;

/** [text, measure, amount] for every size that reads, null for those that must not. */
const read = (text: string) => {
  const pack = parsePackSize(text);
  return pack === null ? null : [pack.measure, Math.round(pack.amount * 1000) / 1000];
};
const grams = (oz: number) => Math.round(oz * OZ * 1000) / 1000;

describe("parsePackSize: a catalog's size text as an amount of one measure", () => {
  it("reads a quantity and its unit, in any case and spacing", () => {
    expect(read("14.5 OZ")).toEqual([PackMeasure.mass, grams(14.5)]);
    expect(read("14.5oz")).toEqual([PackMeasure.mass, grams(14.5)]);
    expect(read("2 LB")).toEqual([PackMeasure.mass, 907.185]);
    expect(read("500 g")).toEqual([PackMeasure.mass, 500]);
    expect(read("1.5 L")).toEqual([PackMeasure.volume, 1500]);
    expect(read("64 FL OZ")).toEqual([PackMeasure.volume, 1892.706]);
    expect(read("1 GA")).toEqual([PackMeasure.volume, Math.round(GAL * 1000) / 1000]);
    expect(read("18 CT")).toEqual([PackMeasure.count, 18]);
    expect(read("1 DZ")).toEqual([PackMeasure.count, 12]);
    expect(read("12 OZ CAN")).toEqual([PackMeasure.mass, grams(12)]);
  });

  it("tells a fraction of a unit from so many packs of so much", () => {
    expect(read("1/2 GAL")).toEqual([PackMeasure.volume, Math.round((GAL / 2) * 1000) / 1000]);
    expect(read("3/4 OZ")).toEqual([PackMeasure.mass, grams(0.75)]);
    expect(read("10 3/4 OZ")).toEqual([PackMeasure.mass, grams(10.75)]);
    expect(read("12/12 OZ")).toEqual([PackMeasure.mass, grams(144)]);
    expect(read("4/4 OZ")).toEqual([PackMeasure.mass, grams(16)]);
    expect(read("4/16 OZ")).toEqual([PackMeasure.mass, grams(64)]);
    expect(read("10/6.75 OZ")).toEqual([PackMeasure.mass, grams(67.5)]);
    expect(read("12 PK/12 OZ")).toEqual([PackMeasure.mass, grams(144)]);
    expect(read("6 pk / 16.9 fl oz")).toEqual([PackMeasure.volume, Math.round(6 * 16.9 * 29.5735295625 * 1000) / 1000]);
  });

  it("leaves unread what it cannot tell or does not know", () => {
    for (const text of [
      "",
      "LOAD",
      "40 LOADS",
      "75 SQ FT",
      "12/18&15PK",
      "10.4 OZ/8 CT",
      "12 OZ/12 PK",
      "LARGE",
      "0 OZ",
      "1/0 OZ",
      "OZ",
    ])
      expect(read(text)).toBeNull();
  });
});
