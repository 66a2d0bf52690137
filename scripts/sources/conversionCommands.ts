/**
 * The two conversion commands, from their arguments to the line they print: the entry points
 * (scripts/fromCompleteJourney.ts, scripts/fromRees46.ts) only run them, so the tests can call them.
 */
import { convertCompleteJourney } from "./completejourney.js";
import { conversionFlags } from "./conversionCli.js";
import { convertRees46 } from "./rees46.js";

/** `--transactions FILE --products FILE --out DIR`: the completejourney package's tables. */
export async function fromCompleteJourney(argv: readonly string[]): Promise<string> {
  const flags = conversionFlags(
    argv,
    "npx tsx scripts/fromCompleteJourney.ts --transactions FILE --products FILE --out DIR",
    { transactions: { type: "string" }, products: { type: "string" }, out: { type: "string" } },
    ["transactions", "products", "out"],
  );
  const paths = { transactions: String(flags.transactions), products: String(flags.products), out: String(flags.out) };
  const s = await convertCompleteJourney(paths);
  return (
    `${paths.out}/orders.csv.gz: ${s.lines} lines in ${s.orders} baskets; ` +
    `${paths.out}/catalog.csv.gz: ${s.products} products` +
    (s.undescribed > 0 ? ` (${s.undescribed} sold but not in ${paths.products}: lines without a catalog row)` : "")
  );
}

/** `--events FILE [--events FILE …] --out DIR`: REES46's event files. */
export async function fromRees46(argv: readonly string[]): Promise<string> {
  const flags = conversionFlags(
    argv,
    "npx tsx scripts/fromRees46.ts --events FILE [--events FILE …] --out DIR",
    { events: { type: "string", multiple: true }, out: { type: "string" } },
    ["events", "out"],
  );
  const out = String(flags.out);
  const s = await convertRees46({ events: flags.events ?? [], out });
  return (
    `${out}/catalog.csv.gz: ${s.products} products from ${s.events} events; ` +
    `${out}/orders.csv.gz: ${s.purchases} purchases in ${s.orders} sessions` +
    (s.purchasesWithoutSession > 0 ? ` (${s.purchasesWithoutSession} purchases without a session left out)` : "")
  );
}
