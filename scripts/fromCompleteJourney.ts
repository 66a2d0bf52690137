// npx tsx scripts/fromCompleteJourney.ts --transactions transactions_sample.csv --products products.csv --out DIR
// The completejourney R package's tables (saved as CSV) to sidecart's orders.csv.gz and catalog.csv.gz;
// scripts/sources/completejourney.ts says which columns it reads, docs/trainer.md where to get them.
import { runConversion } from "./sources/conversionCli.js";
import { fromCompleteJourney } from "./sources/conversionCommands.js";

await runConversion("fromCompleteJourney", () => fromCompleteJourney(process.argv.slice(2)));
