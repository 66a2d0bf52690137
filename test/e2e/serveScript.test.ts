import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bestSeller, isSidecartHealth } from "../../scripts/serveProbe.mjs";
import { repoRoot } from "../fixtures.js";
import { freePort, localEnv } from "./devServer.js";

const run = promisify(execFile);

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of scripts/ the way npm does, to its end. */
function script(name: string, args: string[], env: NodeJS.ProcessEnv = localEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`scripts/${name}`, ...args], { cwd: repoRoot, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Something else on the port that answers every path with 200, as a dev server of another project would. */
async function otherServer(): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer((_, response) => response.writeHead(200, { "content-type": "text/plain" }).end("hi"));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, port };
}

describe("npm run serve / npm start on a port that is taken", () => {
  let other: { server: Server; port: number };
  beforeAll(async () => (other = await otherServer()));
  afterAll(() => new Promise((resolve) => other.server.close(resolve)));

  it("serve --port: one line naming the port and what to do, exit 1, never 'serving'", async () => {
    const { code, stdout, stderr } = await script("serve.mjs", ["--port", String(other.port)]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/serving/);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^sidecart: port ${other.port} is already in use .*PORT=\\d+ npm start`)),
    ]);
  });

  it("start with PORT=: refused before training", async () => {
    const { code, stdout, stderr } = await script("start.mjs", [], { ...localEnv, PORT: String(other.port) });
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/serving|trained/);
    expect(stderr).toMatch(new RegExp(`port ${other.port} is already in use`));
  });

  it("a port that is not a number: one line, exit 1", async () => {
    const { code, stderr } = await script("serve.mjs", ["--port", "80a"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^sidecart: --port "80a" is not a port number from 1 to 65535; usage: npm start/);
  });

  it("the readiness probe takes only sidecart's /healthz for sidecart", async () => {
    expect(await isSidecartHealth(`http://127.0.0.1:${other.port}`)).toBe(false);
    expect(await bestSeller(`http://127.0.0.1:${other.port}`)).toBeUndefined();
  });
});

describe("npm run serve -- --port N --persist-to DIR", () => {
  let persist: string;
  beforeAll(async () => {
    persist = await mkdtemp(join(tmpdir(), "sidecart-serve-"));
    const from = inject("seedModel").dir;
    await run(process.execPath, ["bin/sidecart.mjs", "publish", "--local", "--from", from, "--persist-to", persist], {
      cwd: repoRoot,
      env: localEnv,
    });
  });
  afterAll(() => rm(persist, { recursive: true, force: true }));

  it("says 'serving' on that port once sidecart answers, suggesting the served model's best seller", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(port), "--persist-to", persist], {
      cwd: repoRoot,
      env: localEnv,
      stdio: "pipe",
    });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const ready = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/open http\S+\/demo\//.test(stdout)) resolve(stdout);
      });
      child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${stdout}\n${output}`)));
    });
    try {
      expect(ready).toMatch(new RegExp(`sidecart is serving on http://localhost:${port} `));
      const origin = `http://127.0.0.1:${port}`;
      const search = (await (await fetch(`${origin}/v1/catalog/search?limit=1`)).json()) as {
        items: { sku: string }[];
      };
      const best = search.items[0]?.sku ?? "";
      expect(ready).toContain(`curl 'http://localhost:${port}/v1/items/${best}/also-bought?limit=5'`);
      const answer = await fetch(`${origin}/v1/items/${best}/also-bought?limit=5`);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
  });
});
