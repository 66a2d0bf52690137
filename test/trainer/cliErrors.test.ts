import { execFile } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { repoRoot, sampleCatalog } from "../fixtures.js";
import { colourOn } from "../../trainer/cli.js";
import { tempFile } from "./helpers.js";

const run = promisify(execFile);

/** Runs the real CLI; returns exit code and stderr. */
async function sidecart(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ["bin/sidecart.mjs", ...args], { cwd: repoRoot });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const GOOD_ORDERS = "order_id,product_id,quantity\n1,85123A,1\n1,22423,2\n";

async function trainWith(orders: string, catalog: string) {
  return sidecart("train", "--orders", orders, "--catalog", catalog, "--out", `${orders}.out`);
}

/**
 * Exit code 1 and one error line, the last on stderr, naming the file (and line) and the problem;
 * no stack trace. Progress lines of the steps that did succeed may come before it.
 */
function expectOneLineError(result: { code: number; stderr: string }, ...fragments: string[]) {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split("\n");
  const errors = lines.filter((line) => line.startsWith("sidecart: "));
  expect(errors, result.stderr).toHaveLength(1);
  expect(lines.at(-1)).toBe(errors[0]);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  for (const fragment of fragments) expect(errors[0]).toContain(fragment);
}

describe("sidecart train: bad input", () => {
  it("names a missing column", async () => {
    const orders = await tempFile("orders.csv", "order_id,sku\n1,A\n");
    expectOneLineError(await trainWith(orders, sampleCatalog), `${orders}:1:`, 'missing column "product_id"');
  });

  it("names an unreadable file", async () => {
    expectOneLineError(
      await trainWith("/nonexistent/orders.csv", sampleCatalog),
      "/nonexistent/orders.csv",
      "cannot read the file (ENOENT)",
    );
  });

  it("names the line of a non-numeric price", async () => {
    const catalog = await tempFile(
      "catalog.csv",
      "product_id,title,price\n85123A,HEART,2.95\n22423,CAKESTAND,twelve\n",
    );
    const orders = await tempFile("orders.csv", GOOD_ORDERS);
    expectOneLineError(await trainWith(orders, catalog), `${catalog}:3:`, 'price "twelve" is not a number');
  });

  it("refuses too many bad order rows, naming the first", async () => {
    const orders = await tempFile("orders.csv", `${GOOD_ORDERS}2,85123A,lots\n`);
    expectOneLineError(
      await trainWith(orders, sampleCatalog),
      `${orders}:4:`,
      'quantity "lots" is not a number',
      "1 of 3 rows rejected",
    );
  });

  it("names a truncated gzip file", async () => {
    const orders = await tempFile("orders.csv.gz", "");
    await writeFile(orders, gzipSync(GOOD_ORDERS.repeat(200)).subarray(0, 40));
    expectOneLineError(await trainWith(orders, sampleCatalog), orders, "corrupt or truncated gzip");
  });

  it("names a quote that never closes", async () => {
    const orders = await tempFile("orders.csv", 'order_id,product_id\n1,"85123A\n2,22423\n');
    expectOneLineError(await trainWith(orders, sampleCatalog), orders, "malformed CSV");
  });

  it("names a duplicate header and a line beyond the 1 MiB record bound, and writes no model", async () => {
    const duplicate = await tempFile("dup.csv", "order_id,product_id,order_id\n1,85123A,1\n");
    expectOneLineError(await trainWith(duplicate, sampleCatalog), duplicate, ':1: duplicate column "order_id"');
    const long = await tempFile("long.csv", `order_id,product_id\n1,"${"x".repeat(2 << 20)}"\n`);
    expectOneLineError(await trainWith(long, sampleCatalog), long, "a record longer than 1048576 bytes");
    await expect(readdir(`${long}.out`)).rejects.toThrow();
  });

  it("refuses ids that are not UTF-8 (a Latin-1 export), naming the line", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("order_id,product_id\n1,85123A\n2,CAF"),
      Buffer.from([0xc9]),
      Buffer.from("\n"),
    ]);
    const orders = await tempFile("latin1.csv", "");
    await writeFile(orders, latin1);
    expectOneLineError(await trainWith(orders, sampleCatalog), `${orders}:3`, "not UTF-8");
  });

  it("names a bad flag value", async () => {
    const orders = await tempFile("orders.csv", GOOD_ORDERS);
    const result = await sidecart("train", "--orders", orders, "--catalog", sampleCatalog, "--dim", "zero");
    expectOneLineError(result, '--dim "zero" must be a whole number');
  });

  it("exits 0 and writes nothing to stderr on --help", async () => {
    const result = await sidecart("train", "--help");
    expect(result.code).toBe(0);
  });
});

describe("sidecart: unknown flags", () => {
  it("refuses a misspelt flag in one line with the closest known one, before doing any work", async () => {
    const orders = await tempFile("orders.csv", GOOD_ORDERS);
    const result = await sidecart("train", "--orders", orders, "--curency", "GBP", "--out", `${orders}.out`);
    expectOneLineError(result, "sidecart: unknown flag --curency for train (did you mean --currency?)");
    await expect(readdir(`${orders}.out`)).rejects.toThrow();
  });

  it("refuses one on rollback and on a subcommand", async () => {
    const persist = `${await tempFile("kv", "")}.d`;
    expectOneLineError(
      await sidecart("rollback", "--local", "--too", "V", "--persist-to", persist),
      "sidecart: unknown flag --too for rollback (did you mean --to?)",
    );
    expectOneLineError(
      await sidecart("config", "validate", "examples/config.experiment.json", "--strict"),
      "sidecart: unknown flag --strict for config validate",
    );
  });
});

describe("sidecart train, eval: inputs with nothing to learn from", () => {
  const CATALOG = "product_id,title,price\nA,Apple,1\nB,Banana,2\n";
  const TIMED = "order_id,product_id,timestamp,quantity\n";

  it("names a header-only orders file, with and without a catalog, and writes no model", async () => {
    const orders = await tempFile("orders.csv", "order_id,product_id,quantity\n");
    const catalog = await tempFile("catalog.csv", CATALOG);
    expectOneLineError(await trainWith(orders, catalog), `${orders}: no order lines, only a header`);
    expectOneLineError(await sidecart("train", "--orders", orders), `${orders}: no order lines, only a header`);
    await expect(readdir(`${orders}.out`)).rejects.toThrow();
  });

  it("names orders whose every line is a return", async () => {
    const orders = await tempFile("returns.csv", "order_id,product_id,quantity\n1,A,-1\n1,B,-1\n2,A,-2\n");
    const catalog = await tempFile("catalog.csv", CATALOG);
    expectOneLineError(
      await trainWith(orders, catalog),
      `${orders}: no sales to learn from: none of its 3 lines was accepted (returns and cancellations (quantity ≤ 0): 3)`,
    );
  });

  it("names a catalog with no rows, and one that shares no product with the orders", async () => {
    const orders = await tempFile("orders.csv", "order_id,product_id\n1,X\n1,Y\n2,X\n");
    const empty = await tempFile("catalog.csv", "product_id,title,price\n");
    expectOneLineError(await trainWith(orders, empty), `${empty}: no products, only a header`);
    expectOneLineError(await sidecart("train", "--catalog", empty), `${empty}: no products, only a header`);
    const other = await tempFile("catalog.csv", CATALOG);
    expectOneLineError(
      await trainWith(orders, other),
      `${other}: none of its 2 products appears in ${orders} (2 products sold there); do both use the same product ids?`,
    );
  });

  it("names a header-only pair-counts file", async () => {
    const pairs = await tempFile("pairs.csv", "item_a,item_b,baskets\n");
    const catalog = await tempFile("catalog.csv", CATALOG);
    expectOneLineError(
      await sidecart("train", "--pair-counts", pairs, "--catalog", catalog, "--out", `${pairs}.out`),
      `${pairs}: no rows, only a header`,
    );
  });

  it("eval names header-only and all-returns orders, not a missing timestamp", async () => {
    const catalog = await tempFile("catalog.csv", CATALOG);
    const header = await tempFile("orders.csv", TIMED);
    const evalWith = (orders: string) =>
      sidecart("eval", "--orders", orders, "--catalog", catalog, "--cut", "2020-01-15", "--skip-ease");
    expectOneLineError(await evalWith(header), `${header}: no order lines, only a header`);
    const returns = await tempFile("returns.csv", `${TIMED}1,A,2020-01-01,-1\n2,B,2020-02-01,-1\n`);
    expectOneLineError(await evalWith(returns), `${returns}: no sales to learn from`);
  });
});

describe("sidecart config validate: bad documents", () => {
  const experiment = (traffic: number) => ({
    id: "price-anchor",
    salt: "s",
    enabled: true,
    traffic,
    surfaces: ["also-bought"],
    variants: [
      { name: "control", weight: 1 },
      { name: "tight", weight: 1, rules: { crossSell: { priceRatio: 0.2 } } },
    ],
  });

  it("accepts the shipped example and prints its digest", async () => {
    const result = await sidecart("config", "validate", "examples/config.experiment.json");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/examples\/config\.experiment\.json: valid \(1 experiment, digest [0-9a-f]{16}\)/);
  });

  it("names the file, the line, the JSON path and the problem", async () => {
    const file = await tempFile("config.json", JSON.stringify({ experiments: [experiment(1.5)] }, null, 2));
    expectOneLineError(
      await sidecart("config", "validate", file),
      `${file}:7: experiments[0].traffic: Too big: expected number to be <=1`,
    );
  });

  it("names the line of a JSON syntax error", async () => {
    const file = await tempFile("config.json", '{\n  "rules": {\n    "crossSell": { "priceRatio": 0.2, }\n  }\n}\n');
    expectOneLineError(await sidecart("config", "validate", file), `${file}:3: not valid JSON`);
  });

  it("lists every problem, one per line, and exits 1", async () => {
    const doc = { experiments: [experiment(2), { ...experiment(1), id: "again" }], colour: "red" };
    const file = await tempFile("config.json", JSON.stringify(doc, null, 2));
    const result = await sidecart("config", "validate", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`sidecart: ${file}: 3 problems, the config is refused:`);
    expect(result.stderr).toContain(`${file}:1: (root): Unrecognized key: "colour"`);
    expect(result.stderr).toMatch(/:\d+: experiments\[0\]\.traffic: Too big/);
    expect(result.stderr).toMatch(/:\d+: experiments\[1\]: overrides crossSell\.priceRatio on also-bought/);
  });
});

describe("sidecart: typos a new user makes", () => {
  it("refuses a currency that is not ISO 4217, with the code meant, before any work", async () => {
    const orders = await tempFile("orders.csv", GOOD_ORDERS);
    const out = `${orders}.out`;
    expectOneLineError(
      await sidecart("train", "--orders", orders, "--currency", "GPB", "--out", out),
      'sidecart: --currency "GPB" is not a known ISO 4217 currency code (did you mean GBP?)',
    );
    await expect(readdir(out)).rejects.toThrow();
    expectOneLineError(await sidecart("train", "--orders", orders, "--currency", "gbp"), "(did you mean GBP?)");
    expectOneLineError(
      await sidecart("eval", "--orders", orders, "--cut", "2011-05-01", "--currency", "QQQ"),
      '--currency "QQQ" is not a known ISO 4217 currency code (an ISO 4217 code like GBP, EUR or USD)',
    );
  });

  it("refuses an unknown command with the usage and the command meant", async () => {
    const result = await sidecart("trian", "--orders", "data/orders.csv.gz");
    expectOneLineError(result, "sidecart: unknown command trian (did you mean train?)");
    expectOneLineError(
      await sidecart("config", "valdate", "examples/config.experiment.json"),
      "sidecart: unknown command valdate for config (did you mean validate?)",
    );
    expectOneLineError(await sidecart("frobnicate"), "sidecart: unknown command frobnicate");
  });

  it("names each column --map knows once, and the one meant", async () => {
    const result = await sidecart("train", "--orders", "data/orders.csv.gz", "--map", "prodct_id=StockCode");
    expectOneLineError(result, '--map: unknown column "prodct_id" (did you mean product_id?');
    const listed = /sidecart reads: ([^)]*)\)/.exec(result.stderr)?.[1]?.split(", ") ?? [];
    expect(listed).toContain("title");
    expect(listed.length).toBe(new Set(listed).size);
  });

  it("refuses an add-on price ratio above 1 in a config document", async () => {
    const file = await tempFile("config.json", JSON.stringify({ rules: { crossSell: { priceRatio: 3 } } }));
    expectOneLineError(
      await sidecart("config", "validate", file),
      `${file}:1: rules.crossSell.priceRatio: an add-on dearer than its anchor is not a cross-sell: at most 1`,
    );
  });
});

describe("sidecart --help", () => {
  // Without CI, TEST or NO_COLOR, as a user's shell has it: citty would colour then.
  const { CI: _ci, TEST: _test, NO_COLOR: _noColor, ...userEnv } = process.env;

  it("prints no colour codes into a pipe", async () => {
    const { stdout } = await run(process.execPath, ["bin/sidecart.mjs", "train", "--help"], {
      cwd: repoRoot,
      env: userEnv,
    });
    expect(stdout).toContain("--currency");
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it("colours only a terminal without NO_COLOR (any value) or TERM=dumb", () => {
    expect(colourOn(true, {})).toBe(true);
    expect(colourOn(false, {})).toBe(false);
    expect(colourOn(true, { NO_COLOR: "true" })).toBe(false);
    expect(colourOn(true, { TERM: "dumb" })).toBe(false);
  });
});
