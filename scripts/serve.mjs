// npm run serve: serves whatever is published in local KV with `wrangler dev`, and prints example URLs
// once this worker (not whatever else listens on the port) answers.
import { spawn } from "node:child_process";
import { buildWidget } from "./build.mjs";
import { localEnv } from "./env.mjs";
import { ServeError, serveOptions, ensurePortFree } from "./serveOptions.mjs";
import { bestSeller, isSidecartHealth } from "./serveProbe.mjs";

const HOST = "127.0.0.1";

/** Waits for wrangler's worker to answer /healthz as sidecart does; false if wrangler exits first. */
async function readyBefore(wrangler, origin) {
  for (let i = 0; i < 240 && wrangler.exitCode === null; i++) {
    if (await isSidecartHealth(origin)) return wrangler.exitCode === null;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

export async function serve({ port, persistTo } = serveOptions()) {
  const started = performance.now();
  // Before anything else: wrangler dev on a taken port fails after its banner, while the readiness
  // probe could reach the other server.
  await ensurePortFree(port, HOST);
  await buildWidget(); // the storefront widget the demo page and shops load from /widget/v1/
  // SIDECART_LOCAL: this machine, where the public local token key and unit salt may stand in for the
  // secrets a deployment must set (worker/tokens/tokenKeys.ts); wrangler deploy never passes it.
  const args = [
    "dev",
    "--port",
    String(port),
    "--ip",
    HOST,
    "--var",
    "SIDECART_LOCAL:1",
    ...(persistTo ? ["--persist-to", persistTo] : []),
  ];
  const wrangler = spawn(process.execPath, ["node_modules/wrangler/bin/wrangler.js", ...args], {
    env: localEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => wrangler.once("exit", resolve));
  const stop = () => wrangler.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const origin = `http://${HOST}:${port}`;
  const base = `http://localhost:${port}`;
  if (await readyBefore(wrangler, origin)) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const sku = await bestSeller(origin);
    console.log(`\nsidecart is serving on ${base} (ready in ${seconds} s). Try:`);
    if (sku !== undefined) {
      console.log(
        `  curl '${base}/v1/items/${encodeURIComponent(sku)}/also-bought?limit=5'   # ${sku}: this model's best seller`,
      );
    }
    console.log(`  curl '${base}/v1/model'`);
    console.log(`  open ${base}/demo/ (the demo shop) and ${base}/openapi.json\n`);
  } else if (wrangler.exitCode === null) {
    stop();
    await exited;
    throw new ServeError(
      `wrangler dev on port ${port} did not answer as sidecart within 2 minutes; see its output above`,
    );
  } else {
    await exited;
    throw new ServeError(
      `wrangler dev exited (code ${wrangler.exitCode}) before serving on port ${port}; see its output above`,
    );
  }
  await exited;
  return wrangler.exitCode ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = await serve(serveOptions());
  } catch (error) {
    if (!(error instanceof ServeError)) throw error;
    console.error(`sidecart: ${error.message}`);
    process.exitCode = 1;
  }
}
