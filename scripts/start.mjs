// npm start: train on the bundled sample, publish to local KV, serve with `wrangler dev`.
// `npm start -- --port 8801` (or PORT=8801) serves on another port.
import { spawnSync } from "node:child_process";
import { localEnv } from "./env.mjs";
import { serve } from "./serve.mjs";
import { ensurePortFree, ServeError, serveOptions } from "./serveOptions.mjs";

function sidecart(...args) {
  const result = spawnSync(process.execPath, ["bin/sidecart.mjs", ...args], { env: localEnv, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

try {
  const options = serveOptions();
  // Refused before training, not after it: a taken port is known at once.
  await ensurePortFree(options.port, "127.0.0.1");
  const persist = options.persistTo ? ["--persist-to", options.persistTo] : [];
  const started = performance.now();
  sidecart("train", "--orders", "data/orders.csv.gz", "--catalog", "data/catalog.csv.gz", "--currency", "GBP");
  sidecart("publish", "--local", ...persist);
  console.log(`trained and published in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = await serve(options);
} catch (error) {
  if (!(error instanceof ServeError)) throw error;
  console.error(`sidecart: ${error.message}`);
  process.exitCode = 1;
}
