import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { parseManifest, type Manifest } from "../../models/manifest.js";
import { joinedText, readFigureDocuments } from "../../scripts/readmeFigures.files.js";
import { readFigures, writeFigures } from "../../scripts/readmeFigures.markers.js";
import { measureFigures } from "../../scripts/readmeFigures.measure.js";
import { repoRoot } from "../fixtures.js";

// The global setup trained both bundled models with the defaults, as the script does.
const manifest = async (dir: string): Promise<Manifest> =>
  parseManifest(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")));

describe("the figures quoted in README.md and docs/", () => {
  it("are what `npm run readme:figures` measures now", async () => {
    const text = joinedText(await readFigureDocuments(repoRoot));
    const measured = await measureFigures(repoRoot, {
      sample: await manifest(inject("seedModel").dir),
      journey: await manifest(inject("journeyModel").dir),
    });
    const { "measured-on": when, ...quoted } = readFigures(text);
    expect(quoted, "figures differ: run npm run readme:figures").toEqual(measured);
    expect(when, "the docs say when the figures were measured").toMatch(/^\d{4}-\d{2}-\d{2} on /);
  });

  it("rewrites only what is between the markers, and refuses a marker nothing measures", () => {
    const text = "a <!--fig:x-->1<!--/fig--> b <!--fig:x-->1<!--/fig--> c";
    expect(writeFigures(text, { x: "2" })).toBe("a <!--fig:x-->2<!--/fig--> b <!--fig:x-->2<!--/fig--> c");
    expect(readFigures(text)).toEqual({ x: "1" });
    expect(() => writeFigures(text, {})).toThrow(/"x" that nothing measures/);
  });
});
