import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../fixtures.js";

const run = promisify(execFile);
export const localEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface DevServer {
  base: string;
  persist: string;
  /** Everything wrangler dev printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A model version published to a fresh local KV folder, served by the real `wrangler dev` (the
 * command `npm start` runs) on a free loopback port, with pushed config documents live at once.
 */
export async function startDevServer(modelDir: string): Promise<DevServer> {
  const persist = await mkdtemp(join(tmpdir(), "sidecart-e2e-"));
  await run(process.execPath, ["bin/sidecart.mjs", "publish", "--local", "--from", modelDir, "--persist-to", persist], {
    cwd: repoRoot,
    env: localEnv,
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wrangler: ChildProcess = spawn(
    process.execPath,
    [
      "node_modules/wrangler/bin/wrangler.js",
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persist,
      "--var",
      "CONFIG_REFRESH_SECONDS:0",
      "--var",
      "SIDECART_LOCAL:1",
    ],
    { cwd: repoRoot, env: localEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  wrangler.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  wrangler.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const stop = async () => {
    if (wrangler.exitCode === null) {
      const exited = new Promise((r) => wrangler.once("exit", r));
      wrangler.kill("SIGINT");
      await exited;
    }
    await rm(persist, { recursive: true, force: true });
  };
  for (let i = 0; i < 180; i++) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    const up = await fetch(`${base}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) return { base, persist, log: () => log, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`wrangler dev did not answer:\n${log}`);
}
