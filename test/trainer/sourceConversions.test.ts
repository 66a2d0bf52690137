import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { shellBlocks, shellCommands } from "../../scripts/docsShell.js";
import { fromCompleteJourney, fromRees46 } from "../../scripts/sources/conversionCommands.js";
import { csvField } from "../../scripts/sources/gzipCsv.js";
import { median } from "../../scripts/sources/median.js";
import { zonedTimestamps } from "../../scripts/sources/zonedTime.js";
import { catalogTitle } from "../../trainer/catalogTitle.js";
import { readCatalog } from "../../trainer/ingest/catalog.js";
import { parseColumnMap } from "../../trainer/ingest/columnMap.js";
import { readInputs } from "../../trainer/ingest/readInputs.js";
import { readOrders } from "../../trainer/ingest/orders.js";
import { versionFolders } from "../../trainer/publish/versionFolders.js";
import { readManifestFile } from "../../trainer/artifacts.js";
import { repoRoot } from "../fixtures.js";
import { quiet, tempFile } from "./helpers.js";

const run = promisify(execFile);

/** Temporary folders of this file's runs, removed at the end. */
const scratches: string[] = [];
async function scratchDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sidecart-${name}-`));
  scratches.push(dir);
  return dir;
}
afterAll(() => Promise.all(scratches.map((dir) => rm(dir, { recursive: true, force: true }))));
const trainerPage = () => readFile(join(repoRoot, "docs/trainer.md"), "utf8");

/**
 * The commands of the docs/trainer.md shell block that names `marker`, as a reader would type them.
 * Only what needs no server runs here; the rest (publish, serve, curl) is named so that a new step
 * in the block fails this test until it is looked at.
 */
async function documentedCommands(marker: string): Promise<string[][]> {
  const blocks = shellBlocks(await trainerPage()).filter((b) => b.text.includes(marker));
  expect(blocks, `one block of docs/trainer.md runs ${marker}`).toHaveLength(1);
  const commands = shellCommands(blocks[0]?.text ?? "");
  const needsServer = (c: string[]) =>
    c.join(" ") === "npx sidecart publish --local" || c.join(" ") === "npm run serve" || c[0] === "curl";
  const runnable = commands.filter((c) => !needsServer(c));
  for (const command of runnable) expect(command.slice(0, 2).join(" ")).toMatch(/^npx (tsx|sidecart)$/);
  return runnable;
}

/**
 * Runs a documented command from the repository root, as `npx` would (tsx, or the sidecart bin),
 * with what it writes under models/out moved to `scratch`: a test must not leave version folders
 * where `publish --local` would pick them up.
 */
async function runDocumented(command: string[], scratch: string): Promise<string> {
  const words = command.map((w) => w.replace(/^models\/out\//, `${scratch}/`));
  const [, tool = "", ...args] = words;
  const argv =
    tool === "tsx"
      ? ["--import", "tsx", ...args]
      : ["bin/sidecart.mjs", ...args, ...(args[0] === "train" && !args.includes("--out") ? ["--out", scratch] : [])];
  const { stdout } = await run(process.execPath, argv, { cwd: repoRoot });
  return stdout;
}

/** The value after `flag` in a documented command. */
const flagValue = (command: readonly string[], flag: string) => command[command.indexOf(flag) + 1] ?? "";

/** The one model a documented train command wrote into `scratch`. */
async function trainedItems(scratch: string): Promise<number> {
  const folders = await versionFolders(scratch);
  expect(folders).toHaveLength(1);
  return (await readManifestFile(folders[0]?.dir ?? "")).model.itemCount;
}

/**
 * Runs the docs/trainer.md block that names `script` in a new scratch folder (`name`), as a reader would:
 * its two commands, the conversion, whose summary must match `summary`, then the train command.
 * Returns the scratch folder, the train command and the folder the conversion wrote (`data` in scratch).
 */
async function convertAndTrain(name: string, script: string, summary: RegExp, data: string) {
  const scratch = await scratchDir(name);
  const [convert, trainCommand, ...rest] = await documentedCommands(script);
  expect(rest).toEqual([]);
  expect(await runDocumented(convert ?? [], scratch)).toMatch(summary);
  await runDocumented(trainCommand ?? [], scratch);
  return { scratch, trainCommand, out: join(scratch, data) };
}

const gunzipText = async (path: string) => gunzipSync(await readFile(path)).toString("utf8");

describe("docs/trainer.md: the whole Complete Journey, from the completejourney R package's tables", () => {
  it("converts the package's CSV slice and trains on it with FUEL and MISCELLANEOUS left out", async () => {
    const { scratch, trainCommand, out } = await convertAndTrain(
      "journey",
      "scripts/fromCompleteJourney.ts",
      /32 lines in 25 baskets; .*21 products \(1 sold but not/,
      "data/completejourney",
    );

    const excluded = flagValue(trainCommand ?? [], "--exclude-categories").split(",");
    expect(excluded).toEqual(["FUEL", "MISCELLANEOUS"]);
    const { entries, excluded: left } = await readCatalog(join(out, "catalog.csv.gz"), {
      excludeCategories: excluded,
    });
    expect([...left].sort()).toEqual(["6534178", "882305"]);
    expect(entries.size).toBe(19);
    // 1000050's six lines were all shelf-priced $3.39, whatever was paid (2.00 to 2.99).
    const cereal = entries.get("1000050");
    expect(cereal).toMatchObject({ price: 3.39, category: "GROCERY > COLD CEREAL > KIDS CEREAL", brand: "National" });
    // The source has no names: the card says what it is from the leaf category, the pack size and the brand.
    expect(cereal && catalogTitle(cereal)).toBe("Kids Cereal, 14.5 oz (National)");
    const ladder = [...entries]
      .filter(([, e]) => e.category === "GROCERY > COLD CEREAL > KIDS CEREAL")
      .map(([id, e]) => [id, e.price]);
    expect(ladder).toEqual([
      ["829001", 3.49],
      ["837751", 3.79],
      ["952698", 4.29],
      ["998352", 5.29],
      ["1000050", 3.39],
      ["1013597", 3.99],
      ["1133254", 4.09],
      ["5564901", 6.29],
      ["5591103", 2.99],
      ["15596515", 4.79],
      ["15596705", 5.79],
    ]);

    const orders = await gunzipText(join(out, "orders.csv.gz"));
    // write.csv's zoneless New York time, back to the UTC instant; quantity 0 has no unit price.
    expect(orders).toContain("31198855573,493,2017-01-01T16:44:43Z,6534178,8396,0.0022,0.0023,422\n");
    expect(orders).toContain("31711499523,2400,2017-02-02T03:15:13Z,1000050,2,2,3.39,318\n");
    expect(orders).toContain("31389956808,1038,2017-01-14T01:15:04Z,983659,0,,,340\n");
    const baskets = await readOrders(join(out, "orders.csv.gz"), { maxRejectRate: 0, reporter: quiet });
    expect(baskets.report.rowsAccepted).toBe(30);
    expect(await trainedItems(scratch)).toBe(19);
  });
});

describe("docs/trainer.md: REES46's multi-category store events", () => {
  it("converts the events slice to a catalog (latest price, category levels, brand) and orders, and trains", async () => {
    const { scratch, trainCommand, out } = await convertAndTrain(
      "rees46",
      "scripts/fromRees46.ts",
      /13 products from 33 events; .*4 purchases in 3 sessions/,
      "data/rees46",
    );

    const { entries } = await readCatalog(join(out, "catalog.csv.gz"));
    expect(entries.size).toBe(13);
    expect(entries.get("1002098")).toMatchObject({
      price: 409.02,
      category: "electronics > smartphone",
      brand: "samsung",
    });
    expect(entries.get("1002544")?.price).toBe(464.13); // its later price, not the 470.80 it was viewed at first
    expect(entries.get("14300312")?.category).toBe("electronics > audio > music_tools > piano");
    expect(entries.get("10100965")).toMatchObject({ category: "", brand: "" });
    const samsungs = [...entries].filter(([, e]) => e.brand === "samsung" && e.category === "electronics > smartphone");
    expect(samsungs.map(([id]) => id)).toEqual(["1002098", "1002099", "1003050", "1003535", "1003711", "1005015"]);
    const card = entries.get("1002098");
    // No titles in the source: leaf category and brand, in the source's lower case (only capitals are recased).
    expect(card && catalogTitle(card)).toBe("smartphone (samsung)");

    const { baskets } = await readInputs({
      orders: join(out, "orders.csv.gz"),
      catalog: join(out, "catalog.csv.gz"),
      excludeCategories: [],
      maxRejectRate: 0,
      reporter: quiet,
    });
    expect(baskets.report.rowsAccepted).toBe(4);
    expect(baskets.offsets.length - 1).toBe(3);
    // The documented command trains on the catalog alone.
    expect(trainCommand).not.toContain("--orders");
    expect(await trainedItems(scratch)).toBe(13);
  });
});

describe("docs/trainer.md: a raw UCI Online Retail export with --map alone", () => {
  it("trains on the slice as documented, the catalog taken from the lines", async () => {
    const scratch = await scratchDir("uci");
    const [command, ...rest] = await documentedCommands("--map order_id=InvoiceNo");
    expect(rest).toEqual([]);
    await runDocumented(command ?? [], scratch);
    expect(await trainedItems(scratch)).toBe(30);

    const orders = join(repoRoot, flagValue(command ?? [], "--orders"));
    const { entries, baskets, catalogSource } = await readInputs({
      orders,
      catalog: null,
      map: parseColumnMap(flagValue(command ?? [], "--map")),
      excludeCategories: [],
      maxRejectRate: 0,
      reporter: quiet,
    });
    expect(catalogSource).toBe("orders");
    expect(entries.get("85123A")).toMatchObject({ title: "WHITE HANGING HEART T-LIGHT HOLDER", price: 2.55 });
    expect(baskets.report.rowsSkipped).toBe(1); // the cancellation C536365
    expect(baskets.offsets.length - 1).toBe(6);
  });
});

describe("the conversions' parts", () => {
  it("reads zoneless times as wall-clock time in the source's zone, across daylight saving", () => {
    const newYork = zonedTimestamps("America/New_York");
    expect(newYork("2017-01-01 11:44:43")).toBe("2017-01-01T16:44:43Z");
    expect(newYork("2017-07-01 11:44:43")).toBe("2017-07-01T15:44:43Z");
    expect(newYork("2017-03-12 03:30:00")).toBe("2017-03-12T07:30:00Z");
    expect(newYork("2017-11-05 12:00:00")).toBe("2017-11-05T17:00:00Z");
    // A time that says its zone, or epoch seconds, is taken as it is.
    expect(newYork("2017-01-22T03:31:12Z")).toBe("2017-01-22T03:31:12Z");
    expect(newYork("1483228800")).toBe("2017-01-01T00:00:00Z");
    expect(newYork("1/1/2017 11:44")).toBeNull();
    expect(zonedTimestamps("UTC")("2019-10-01 00:00:04")).toBe("2019-10-01T00:00:04Z");
  });

  it("writes CSV fields quoted only when they must be, and takes the middle price", () => {
    expect(["a", 'say "hi"', "x,y", 3.39, null].map(csvField)).toEqual(["a", '"say ""hi"""', '"x,y"', "3.39", ""]);
    expect([median([3, 1, 2]), median([2.99, 2, 2, 2.99]), median([])]).toEqual([2, 2.495, null]);
  });

  it("names the file and line of a value it cannot read, a source without the columns, a missing flag", async () => {
    const products = join(repoRoot, "test/sources/completejourney/products.csv");
    const header =
      '"household_id","store_id","basket_id","product_id","quantity","sales_value","retail_disc","coupon_disc","coupon_match_disc","week","transaction_timestamp"';
    const transactions = await tempFile(
      "transactions.csv",
      `${header}\n"1","2","3","1000050",1,lots,0,0,0,1,2017-01-01 10:00:00\n`,
    );
    const out = await scratchDir("bad");
    // The entry point as a reader runs it: one line on stderr, exit code 1.
    const script = ["--import", "tsx", "scripts/fromCompleteJourney.ts", "--products", products, "--out", out];
    await expect(
      run(process.execPath, [...script, "--transactions", transactions], { cwd: repoRoot }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: `fromCompleteJourney: ${transactions}:2: sales_value "lots" is not a number\n`,
    });
    await expect(
      fromCompleteJourney(["--transactions", products, "--products", products, "--out", out]),
    ).rejects.toThrow(/products\.csv:1: missing columns "household_id", .*\(found: product_id, [^)]*\)$/);
    await expect(fromRees46(["--out", out])).rejects.toThrow(/^missing --events\nusage: /);
    await expect(fromRees46(["--event", "x.csv", "--out", out])).rejects.toThrow(/Unknown option '--event'/);
  });
});
