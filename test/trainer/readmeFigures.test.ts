import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { parseManifest, type Manifest } from "../../models/manifest.js";
import { readFigures, writeFigures } from "../../scripts/readmeFigures.markers.js";
import { measureFigures } from "../../scripts/readmeFigures.measure.js";
import { repoRoot } from "../fixtures.js";

// The global setup trained both bundled models with the defaults, as the script does.
const manifest = async (dir: string): Promise<Manifest> =>
  parseManifest(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")));

describe("the README's figures", () => {
  it("are what `npm run readme:figures` measures now", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const measured = await measureFigures(repoRoot, {
      sample: await manifest(inject("seedModel").dir),
      journey: await manifest(inject("journeyModel").dir),
    });
    const { "measured-on": when, ...quoted } = readFigures(readme);
    expect(quoted, "README figures differ: run npm run readme:figures").toEqual(measured);
    expect(when, "the README says when the figures were measured").toMatch(/^\d{4}-\d{2}-\d{2} on /);
  });

  it("rewrites only what is between the markers, and refuses a marker nothing measures", () => {
    const text = "a <!--fig:x-->1<!--/fig--> b <!--fig:x-->1<!--/fig--> c";
    expect(writeFigures(text, { x: "2" })).toBe("a <!--fig:x-->2<!--/fig--> b <!--fig:x-->2<!--/fig--> c");
    expect(readFigures(text)).toEqual({ x: "1" });
    expect(() => writeFigures(text, {})).toThrow(/"x" that nothing measures/);
  });
});
