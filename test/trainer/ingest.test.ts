import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { parseColumnMap } from "../../trainer/ingest/columnMap.js";
import { DelimitedScanner, fieldText } from "../../trainer/ingest/delimitedScanner.js";
import { readOrders, type Baskets } from "../../trainer/ingest/orders.js";
import { readCounts, readInputs } from "../../trainer/ingest/readInputs.js";
import { parseTimestamp } from "../../trainer/ingest/timestamps.js";
import type { Reporter } from "../../trainer/progress.js";

const quiet: Reporter = { info() {}, record() {}, step: () => ({ update() {}, done() {} }) };
const dir = await mkdtemp(join(tmpdir(), "sidecart-ingest-"));
async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Records as [line, fields] when the text is pushed in pieces of `piece` bytes. */
function scan(text: string, piece: number, delimiter = 0x2c) {
  const records: [number, string[]][] = [];
  const malformed: [number, string][] = [];
  const scanner = new DelimitedScanner(delimiter, {
    record: (r) => records.push([r.line, Array.from({ length: r.count }, (_, i) => fieldText(r, i))]),
    malformed: (line, problem) => malformed.push([line, problem]),
  });
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += piece) scanner.push(bytes.subarray(at, at + piece));
  scanner.end();
  return { records, malformed };
}

describe("DelimitedScanner (RFC 4180)", () => {
  const text = '\ufeffa,b,c\r\n1,"x, y",3\n\n2,"say ""hi""",4\n3,"two\nlines",5\n4,"bad"tail,6\n5,last,7';
  const expected: [number, string[]][] = [
    [1, ["a", "b", "c"]],
    [2, ["1", "x, y", "3"]],
    [4, ["2", 'say "hi"', "4"]],
    [5, ["3", "two\nlines", "5"]],
    [8, ["5", "last", "7"]],
  ];

  it("reads quotes, escaped quotes, line breaks in fields, CRLF, a BOM and blank lines, whatever the chunking", () => {
    for (const piece of [1, 2, 3, 7, 64, 1 << 20]) {
      const { records, malformed } = scan(text, piece);
      expect(records, `pieces of ${piece}`).toEqual(expected);
      expect(malformed, `pieces of ${piece}`).toEqual([[7, "text after a closing quote"]]);
    }
  });

  it("reads tab-separated records", () => {
    expect(scan("a\tb\n1\t2 3\n", 4, 0x09).records).toEqual([
      [1, ["a", "b"]],
      [2, ["1", "2 3"]],
    ]);
  });

  it("stops at a quote that never closes, naming its line", () => {
    expect(() => scan('a,b\n1,"open\n2,3\n', 5)).toThrow("a quoted field is never closed");
  });
});

describe("timestamps", () => {
  it("reads ISO 8601, 'YYYY-MM-DD HH:MM:SS', dates and epoch seconds or milliseconds as UTC", () => {
    const t = Date.UTC(2011, 0, 31, 8, 26, 5);
    expect(parseTimestamp("2011-01-31 08:26:05")).toBe(t);
    expect(parseTimestamp("2011-01-31T08:26:05")).toBe(t);
    expect(parseTimestamp("2011-01-31T09:26:05+01:00")).toBe(t);
    expect(parseTimestamp("2011-01-31T08:26:05.000Z")).toBe(t);
    expect(parseTimestamp(String(t / 1000))).toBe(t);
    expect(parseTimestamp(String(t))).toBe(t);
    expect(parseTimestamp("2011-01-31")).toBe(Date.UTC(2011, 0, 31));
    for (const bad of ["31/01/2011 08:26", "2011-13-01 00:00:00", "2011-01-31 25:00:00", "soon", ""]) {
      expect(parseTimestamp(bad), bad).toBeNull();
    }
  });
});

const ROWS = [
  ["A1", "2011-01-01 08:00:00", "P1", "2"],
  ["A1", "2011-01-01 08:00:00", "P2", "1"],
  ["A2", "2011-01-02 09:30:00", "P2", "1"],
  ["A2", "2011-01-02 09:30:00", "P3", "4"],
  ["A1", "2011-01-01 08:00:00", "P1", "1"],
  ["A3", "2011-01-03 10:00:00", "P1", "-1"],
];
const HEADER = ["order_id", "timestamp", "product_id", "quantity"];

function basketsAsSets(b: Baskets): string[][] {
  const out: string[][] = [];
  for (let i = 0; i + 1 < b.offsets.length; i++) {
    const items = Array.from(b.items.subarray(b.offsets[i] ?? 0, b.offsets[i + 1] ?? 0), (x) => b.skus[x] ?? "?");
    out.push(items.sort());
  }
  return out;
}

describe("orders in every format", () => {
  const csv = [HEADER, ...ROWS].map((r) => r.join(",")).join("\n") + "\n";

  it("gives the same baskets from CSV, gzip CSV, TSV, JSONL and Parquet; returns are skipped, not rejected", async () => {
    const jsonl = ROWS.map((r) => JSON.stringify(Object.fromEntries(HEADER.map((h, i) => [h, r[i]])))).join("\n");
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: "order_id", data: ROWS.map((r) => r[0] ?? ""), type: "STRING" },
        { name: "timestamp", data: ROWS.map((r) => new Date(`${r[1] ?? ""}Z`.replace(" ", "T"))), type: "TIMESTAMP" },
        { name: "product_id", data: ROWS.map((r) => r[2] ?? ""), type: "STRING" },
        { name: "quantity", data: ROWS.map((r) => Number(r[3])), type: "INT32" },
      ],
    });
    const paths = [
      await file("orders.csv", csv),
      await file("orders.csv.gz", gzipSync(csv)),
      await file("orders.tsv", csv.replaceAll(",", "\t")),
      await file("orders.jsonl", jsonl),
      await file("orders.parquet", new Uint8Array(parquet)),
    ];
    for (const path of paths) {
      const baskets = await readOrders(path, { maxRejectRate: 0, reporter: quiet });
      expect(basketsAsSets(baskets), path).toEqual([
        ["P1", "P2"],
        ["P2", "P3"],
      ]);
      expect(baskets.window, path).toEqual({
        from: Date.UTC(2011, 0, 1, 8),
        to: Date.UTC(2011, 0, 2, 9, 30),
      });
      expect(baskets.report, path).toMatchObject({
        rowsRead: 6,
        rowsAccepted: 5,
        rowsSkipped: 1,
        skipped: { "returns and cancellations (quantity ≤ 0)": 1 },
        rejected: {},
      });
    }
  });

  it("reads several files through a glob, in name order", async () => {
    await file("part-1.csv", "order_id,product_id\n1,X\n1,Y\n");
    await file("part-2.csv", "order_id,product_id\n1,Z\n2,X\n");
    const { baskets, files } = await readInputs({
      orders: join(dir, "part-*.csv"),
      catalog: null,
      excludeCategories: [],
      maxRejectRate: 0,
      reporter: quiet,
    });
    expect(files).toEqual([join(dir, "part-1.csv"), join(dir, "part-2.csv")]);
    expect(basketsAsSets(baskets)).toEqual([["X", "Y", "Z"], ["X"]]);
  });

  it("refuses a glob that matches nothing", async () => {
    await expect(
      readInputs({
        orders: join(dir, "none-*.csv"),
        catalog: null,
        excludeCategories: [],
        maxRejectRate: 0,
        reporter: quiet,
      }),
    ).rejects.toThrow("no file matches");
  });
});

describe("--map: a raw UCI Online Retail export", () => {
  const uci = [
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
    "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
    "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom",
    "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,United Kingdom",
    "536366,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2010-12-01 08:28:00,2.95,17850,United Kingdom",
    "C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-1,2010-12-01 09:41:00,2.55,14527,United Kingdom",
  ].join("\n");
  const map = parseColumnMap(
    "order_id=InvoiceNo,product_id=StockCode,title=Description,quantity=Quantity,timestamp=InvoiceDate,unit_price=UnitPrice,customer_id=CustomerID",
  );

  it("trains on the raw columns with --map alone: the catalog comes from the lines", async () => {
    const orders = await file("Online Retail.csv", uci);
    const { entries, baskets, catalogSource } = await readInputs({
      orders,
      catalog: null,
      map,
      excludeCategories: [],
      maxRejectRate: 0,
      reporter: quiet,
    });
    expect(catalogSource).toBe("orders");
    expect(basketsAsSets(baskets)).toEqual([
      ["71053", "85123A"],
      ["22633", "85123A"],
    ]);
    // The latest line's price, the first title.
    expect(entries.get("85123A")).toMatchObject({ title: "WHITE HANGING HEART T-LIGHT HOLDER", price: 2.95 });
    expect(entries.get("22633")).toMatchObject({ title: "HAND WARMER UNION JACK", price: 1.85 });
    expect(baskets.report.rowsSkipped).toBe(1);
  });

  it("names the mapped column a file lacks, and refuses unknown names in --map", async () => {
    const orders = await file("retail-no-date.csv", uci.replace("InvoiceDate", "Date"));
    await expect(
      readOrders(orders, {
        maxRejectRate: 0,
        reporter: quiet,
        map: parseColumnMap("order_id=Invoice,product_id=StockCode"),
      }),
    ).rejects.toThrow(/missing column "order_id" \(mapped to "invoice"\)/);
    expect(() => parseColumnMap("order=InvoiceNo")).toThrow('unknown column "order"');
    expect(() => parseColumnMap("order_id")).toThrow("is not ours=theirs");
  });
});

describe("bad lines in a large file", () => {
  it("reports a corrupt line in the middle of 1,000,000 lines with its number and goes on", async () => {
    const lines = ["order_id,product_id,quantity"];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${i >> 2},P${i % 997},1`);
    lines[500_001] = '124999,"P1"x,1';
    lines[700_001] = "175000,P2";
    const path = await file("big.csv.gz", gzipSync(lines.join("\n")));
    const baskets = await readOrders(path, { maxRejectRate: 0.01, reporter: quiet });
    expect(baskets.report.rowsRead).toBe(1_000_000);
    expect(baskets.report.rowsAccepted).toBe(999_998);
    expect(baskets.report.rejected["malformed line"]).toEqual({
      count: 2,
      examples: [`${path}:500002`, `${path}:700002`],
    });
    expect(baskets.offsets.length - 1).toBe(250_000);
  });

  it("fails above --max-reject-rate with one line naming the first bad place", async () => {
    const path = await file("bad.csv", "order_id,product_id,quantity\n1,A,1\n2,B,many\n3,C,1\n");
    await expect(readOrders(path, { maxRejectRate: 0.1, reporter: quiet })).rejects.toThrow(
      `${path}:3: quantity "many" is not a number (1 of 3 rows rejected, 33.3% > --max-reject-rate 10%)`,
    );
  });
});

describe("inputs with nothing to learn from", () => {
  const inputs = (orders: string | null, catalog: string | null, excludeCategories: string[] = []) =>
    readInputs({ orders, catalog, excludeCategories, maxRejectRate: 1, reporter: quiet });

  it("refuses a catalog whose every product is in an excluded category", async () => {
    const catalog = await file("fuel.csv", "product_id,category_path\nA,FUEL\nB,fuel > diesel\n");
    await expect(inputs(null, catalog, ["FUEL"])).rejects.toThrow(
      `${catalog}: no products left: --exclude-categories leaves out all 2`,
    );
  });

  it("refuses orders none of whose lines is accepted, and says why", async () => {
    const orders = await file("all-bad.csv", "order_id,product_id,quantity\n1,A,many\n2,B,-1\n");
    await expect(inputs(orders, null)).rejects.toThrow(
      `${orders}: no sales to learn from: none of its 2 lines was accepted (returns and cancellations (quantity ≤ 0): 1; rejected, non-numeric quantity: 1)`,
    );
  });

  it("refuses pair counts with only the total row, or none of the catalog's products", async () => {
    const catalog = await file("ab.csv", "product_id,title\nA,Apple\nB,Banana\n");
    const counts = (pairCounts: string) =>
      readCounts({
        orders: null,
        catalog,
        pairCounts,
        excludeCategories: [],
        maxRejectRate: 0,
        maxBasket: 1000,
        basketWeights: true,
        reporter: quiet,
      });
    const total = await file("total.csv", 'item_a,item_b,baskets\n"","",10\n');
    await expect(counts(total)).rejects.toThrow(`${total}: no item counts or pairs to learn from, only the total row`);
    const other = await file("xy.csv", 'item_a,item_b,baskets\n"","",10\nX,"",3\nY,"",3\nX,Y,3\n');
    await expect(counts(other)).rejects.toThrow(
      `${catalog}: none of its 2 products appears in ${other} (2 products sold there)`,
    );
    const shared = await file("ay.csv", 'item_a,item_b,baskets\n"","",10\nA,"",3\nY,"",3\nA,Y,3\n');
    expect((await counts(shared)).skus).toEqual(["A", "B", "Y"]);
  });

  it("still reads a catalog-only model (no --orders)", async () => {
    const catalog = await file("only.csv", "product_id,title\nA,Apple\n");
    expect((await inputs(null, catalog)).entries.size).toBe(1);
  });
});
