import { existsSync } from "node:fs";
import { join } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { blockProblems, commandFiles, pageProblems, type Repository } from "../../scripts/docsCommands.js";
import { shellBlocks, shellCommands } from "../../scripts/docsShell.js";
import { docPages, readPage } from "../../scripts/docPages.js";
import { repoRoot } from "../fixtures.js";

const pages = docPages(repoRoot);
const read = (page: string) => readPage(repoRoot, page);

const packageScripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

/** The repository as a reader who cloned it has it: its files (a glob must match one) and npm scripts. */
const repo: Repository = {
  has: (path) =>
    isDynamicPattern(path) ? globSync(path, { cwd: repoRoot }).length > 0 : existsSync(join(repoRoot, path)),
  npmScripts: new Set(Object.keys(packageScripts)),
};

describe("the shell commands of README.md and docs/", () => {
  it("read only files in the repository or written earlier in the same block", () => {
    expect(pages.flatMap((page) => pageProblems(page, read(page), repo))).toEqual([]);
  });

  it("never point at the shared data beside the repository (../shared), in a command or in prose", () => {
    expect(pages.filter((page) => read(page).includes("../shared"))).toEqual([]);
  });
});

describe("the command check", () => {
  const fake: Repository = {
    has: (path) => ["data/orders.csv.gz", "data/catalog.csv.gz", "examples/map.json"].includes(path),
    npmScripts: new Set(["eval", "serve"]),
  };
  /** The problems of a shell block given as its lines, in `repository` (the fake one unless told). */
  const problemsOf = (lines: string[], repository: Repository = fake) => blockProblems(lines.join("\n"), repository);

  it("reads the shell blocks of a page, indented ones too, and nothing else", () => {
    const page = ["text", "```sh", "a 1", "```", "  ```bash", "  b 2", "  ```", "```", "c 3", "```", "```ts", "d"];
    expect(shellBlocks(page.join("\n"))).toEqual([
      { line: 2, text: "a 1" },
      { line: 5, text: "b 2" },
    ]);
  });

  it("splits commands as the shell does: continuations, quotes, comments, operators", () => {
    const text = [
      "npx sidecart train --orders 'Online Retail.csv' \\",
      '  --map "order_id=InvoiceNo" && npm run serve   # a comment with data/x.csv',
      "curl -H 'A: b/c' 'http://localhost:8787/v1/x' | head > out.txt 2>/dev/null",
    ].join("\n");
    expect(shellCommands(text)).toEqual([
      ["npx", "sidecart", "train", "--orders", "Online Retail.csv", "--map", "order_id=InvoiceNo"],
      ["npm", "run", "serve"],
      ["curl", "-H", "A: b/c", "http://localhost:8787/v1/x"],
      ["head", ">", "out.txt", ">", "/dev/null"],
    ]);
  });

  it("tells the files a command reads from those it writes", () => {
    expect(
      commandFiles(
        "npx sidecart eval --orders data/orders.csv.gz --catalog=data/catalog.csv.gz --cut 2011-05-01 --json out.json --html report.html --sweep price-anchor=0.1:1.0:0.1".split(
          " ",
        ),
      ),
    ).toEqual({ reads: ["data/orders.csv.gz", "data/catalog.csv.gz"], writes: ["out.json", "report.html"] });
    expect(commandFiles(["npx", "sidecart", "train", "--map", "@examples/map.json", "--orders", "…"])).toEqual({
      reads: ["examples/map.json"],
      writes: ["models/out"],
    });
    expect(commandFiles(["curl", "-X", "POST", "localhost:8787/v1/events", "-d", "@body.json"])).toEqual({
      reads: ["body.json"],
      writes: [],
    });
  });

  it("finds a path outside the repository, a missing file and an unknown npm script", () => {
    const lines = [
      "npx sidecart train --orders ../shared/data/orders.csv.gz --catalog data/catalog.csv.gz",
      "npx sidecart train --catalog models/data/catalog.csv.gz && npm run serv",
    ];
    expect(problemsOf(lines)).toEqual([
      "`npx sidecart train --orders ../shared/data/orders.csv.gz --catalog data/catalog.csv.gz`: ../shared/data/orders.csv.gz is outside the repository",
      "`npx sidecart train --catalog models/data/catalog.csv.gz`: models/data/catalog.csv.gz is not in the repository nor written earlier in the block",
      '`npm run serv`: package.json has no script "serv"',
    ]);
  });

  it("accepts what an earlier command of the block wrote, and not what a later one writes", () => {
    const withScript: Repository = { ...fake, has: (path) => path === "scripts/x.ts" || fake.has(path) };
    const converted = [
      "npx tsx scripts/x.ts --out models/out/data/x",
      "npx sidecart train --catalog models/out/data/x/catalog.csv.gz --out models/out/y",
      "npx sidecart eval --orders data/orders.csv.gz --cut 2011-05-01 --json e.json && cat e.json",
    ];
    expect(problemsOf(converted, withScript)).toEqual([]);
    expect(problemsOf(["cat e.json", "npx sidecart eval --json e.json"])).toEqual([
      "`cat e.json`: e.json is not in the repository nor written earlier in the block",
    ]);
  });
});
