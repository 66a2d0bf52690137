// npx tsx scripts/fromRees46.ts --events 2019-Oct.csv [--events 2019-Nov.csv] --out DIR
// REES46's multi-category store events (Kaggle) to sidecart's catalog.csv.gz and orders.csv.gz;
// scripts/sources/rees46.ts says which columns it reads, docs/trainer.md where to get them.
import { runConversion } from "./sources/conversionCli.js";
import { fromRees46 } from "./sources/conversionCommands.js";

await runConversion("fromRees46", () => fromRees46(process.argv.slice(2)));
