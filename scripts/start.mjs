// npm start: train on the bundled sample, publish to local KV, serve with `wrangler dev`.
import { spawnSync } from "node:child_process";
import { localEnv } from "./env.mjs";
import { serve } from "./serve.mjs";

function sidecart(...args) {
  const result = spawnSync(process.execPath, ["bin/sidecart.mjs", ...args], { env: localEnv, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const started = performance.now();
sidecart("train", "--orders", "data/orders.csv.gz", "--catalog", "data/catalog.csv.gz", "--currency", "GBP");
sidecart("publish", "--local");
console.log(`trained and published in ${((performance.now() - started) / 1000).toFixed(1)} s`);
await serve();
