import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import type { Manifest } from "../../models/manifest.js";
import { repoRoot } from "../fixtures.js";
import "../seedModel.js";

const run = promisify(execFile);

/**
 * `publish` without --from, run where a user runs it: in a folder whose models/out also holds what
 * other commands leave there. --remote --dry-run with no token reads no KV, so only the lookup runs.
 */
async function publishDryRun(cwd: string, from?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [join(repoRoot, "bin/sidecart.mjs"), "publish", "--remote", "--dry-run", "--json"];
  args.push("--namespace-id", "fedcba9876543210fedcba9876543210", ...(from ? ["--from", from] : []));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CLOUDFLARE_")));
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd,
      env: { ...env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("publish without --from finds the newest real, unrefused version folder", () => {
  let cwd: string;
  let out: string;
  const seed = () => inject("seedModel");

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), "sidecart-lookup-"));
    out = join(cwd, "models", "out");
    await mkdir(out, { recursive: true });
    await cp(seed().dir, join(out, seed().version), { recursive: true });
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  /** The seed version copied under another name, created `days` after it (same blobs). */
  async function copyAs(version: string, days: number): Promise<string> {
    const dir = join(out, version);
    await cp(seed().dir, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
    const createdAt = new Date(Date.parse(manifest.createdAt) + days * 86_400_000).toISOString();
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...manifest, version, createdAt }));
    return dir;
  }

  it("ignores the eval report `npm run eval` leaves beside the versions (issue 16, item 1)", async () => {
    await writeFile(join(out, "eval.json"), "{}\n");
    await writeFile(join(out, "eval.html"), "<html></html>\n");
    const result = await publishDryRun(cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: seed().version });
  });

  it("skips folders without a valid manifest and versions the nightly gate refused; newest by creation time", async () => {
    await copyAs("0-hotfix", 1); // newest good one, though its name sorts first
    const refused = await copyAs("zz-refused", 2);
    await writeFile(join(refused, "refused.json"), JSON.stringify({ reason: "basket.HR@10 dropped", at: "x" }));
    await mkdir(join(out, "scratch"));
    await mkdir(join(out, "broken"));
    await writeFile(join(out, "broken", "manifest.json"), "{ not json");
    await mkdir(join(out, "zzz.partial"));
    const result = await publishDryRun(cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: "0-hotfix" });
    expect(result.stderr).toContain("zz-refused");

    // Named explicitly it may be published, with a warning that says why it was held back.
    const forced = await publishDryRun(cwd, refused);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ version: "zz-refused" });
    expect(forced.stderr).toMatch(
      /warning: zz-refused was refused by the nightly quality gate \(basket.HR@10 dropped\)/,
    );
  });

  it("says so in one line when every version there was refused", async () => {
    await rm(join(out, seed().version), { recursive: true });
    const refused = await copyAs("only-refused", 0);
    await writeFile(join(refused, "refused.json"), JSON.stringify({ reason: "dropped", at: "x" }));
    const result = await publishDryRun(cwd);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/only-refused.*--from/);
  });
});
