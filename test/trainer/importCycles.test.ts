import { join } from "node:path";
import madge from "madge";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../fixtures.js";

/** Every folder of TypeScript the project owns (scripts/ is plain .mjs plus a few tools, outside the graph). */
const FOLDERS = ["worker", "trainer", "models", "bench", "test", "widget"];

/** Module ids (paths from the repository root) and the modules each imports, as madge resolves them. */
let graph: Record<string, string[]>;
let cycles: string[][];
let skipped: string[];

beforeAll(async () => {
  // The same run as `npx madge --circular --extensions ts --ts-config tsconfig.json <folders>`.
  const result = await madge(
    FOLDERS.map((folder) => join(repoRoot, folder)),
    { baseDir: repoRoot, fileExtensions: ["ts"], tsConfig: join(repoRoot, "tsconfig.json") },
  );
  graph = result.obj();
  cycles = result.circular();
  skipped = result.warnings().skipped;
}, 60_000);

describe("imports", () => {
  it("resolve every relative import (one madge skips would hide its edges from the cycle check)", () => {
    expect(skipped.filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("form no cycle between files", () => {
    expect(cycles).toEqual([]);
  });

  it("point one way between test/ and bench/: tests may use the benchmarks' generators, bench/ imports nothing from test/", () => {
    const backwards = Object.entries(graph).flatMap(([file, imports]) =>
      file.startsWith("bench/")
        ? imports.filter((name) => name.startsWith("test/")).map((name) => `${file} → ${name}`)
        : [],
    );
    expect(backwards).toEqual([]);
  });
});
