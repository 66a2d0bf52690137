// npm run nightly: the nightly job on the bundled sample, published to local KV behind the quality gate.
import { spawnSync } from "node:child_process";
import { localEnv } from "./env.mjs";

const args = ["bin/sidecart.mjs", "nightly", "--orders", "data/orders.csv.gz", "--catalog", "data/catalog.csv.gz"];
const result = spawnSync(process.execPath, [...args, "--currency", "GBP", "--local", ...process.argv.slice(2)], {
  env: localEnv,
  stdio: "inherit",
});
process.exitCode = result.status ?? 1;
