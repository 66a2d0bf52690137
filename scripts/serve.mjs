// Serves whatever is published in local KV with `wrangler dev`, and prints example URLs once it answers.
import { spawn } from "node:child_process";
import { buildWidget } from "./build.mjs";
import { localEnv } from "./env.mjs";

export async function serve({ port = Number(process.env.PORT ?? 8787), exampleSku = "85123A" } = {}) {
  const started = performance.now();
  await buildWidget(); // the storefront widget the demo page and shops load from /widget/v1/
  const wrangler = spawn(
    process.execPath,
    ["node_modules/wrangler/bin/wrangler.js", "dev", "--port", String(port), "--ip", "127.0.0.1"],
    { env: localEnv, stdio: ["ignore", "inherit", "inherit"] },
  );
  const stop = () => wrangler.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 120 && wrangler.exitCode === null; i++) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`\nsidecart is serving on ${base} (ready in ${seconds} s). Try:`);
      console.log(`  curl '${base}/v1/items/${exampleSku}/also-bought?limit=5'`);
      console.log(`  curl '${base}/v1/model'`);
      console.log(`  open ${base}/demo/ (the demo shop) and ${base}/openapi.json\n`);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((resolve) => wrangler.on("exit", resolve));
  process.exitCode = wrangler.exitCode ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await serve();
