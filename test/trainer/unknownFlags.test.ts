import { describe, expect, it, vi } from "vitest";
import { main, run } from "../../trainer/cli.js";
import { checkFlags } from "../../trainer/commands/unknownFlags.js";
import { editDistance } from "../../trainer/editDistance.js";

const check = (...rawArgs: string[]) => checkFlags(main, rawArgs);

describe("unknown flags", () => {
  it("names the flag and the command, and suggests the closest known flag", async () => {
    await expect(check("train", "--curency", "GBP")).rejects.toThrow(
      "unknown flag --curency for train (did you mean --currency?)",
    );
    await expect(check("rollback", "--local", "--too", "V")).rejects.toThrow(
      "unknown flag --too for rollback (did you mean --to?)",
    );
    await expect(check("eval", "--orders", "o.csv", "--cut", "2011-05-01", "--skip-eas")).rejects.toThrow(
      "unknown flag --skip-eas for eval (did you mean --skip-ease?)",
    );
  });

  it("resolves subcommands: config push, experiments report", async () => {
    await expect(check("config", "push", "c.json", "--locl")).rejects.toThrow(
      "unknown flag --locl for config push (did you mean --local?)",
    );
    await expect(check("experiments", "report", "--local", "--jsn")).rejects.toThrow(
      "unknown flag --jsn for experiments report (did you mean --json?)",
    );
    // A flag before the subcommand belongs to the parent, which has none.
    await expect(check("config", "--local", "push", "c.json")).rejects.toThrow("unknown flag --local for config");
    await expect(check("--verbose", "train")).rejects.toThrow("unknown flag --verbose for sidecart");
  });

  it("checks --flag=value, --no-x and short forms, and says where to look when nothing is close", async () => {
    await expect(check("train", "--curency=GBP")).rejects.toThrow("unknown flag --curency for train");
    await expect(check("train", "--no-jsn")).rejects.toThrow(
      "unknown flag --no-jsn for train (did you mean --no-json?)",
    );
    // Only switches negate: --no-orders would set a path to false.
    await expect(check("train", "--no-orders")).rejects.toThrow("unknown flag --no-orders for train");
    await expect(check("train", "-q")).rejects.toThrow("unknown flag -q for train");
    await expect(check("train", "--xyzzy")).rejects.toThrow(
      "unknown flag --xyzzy for train (see sidecart train --help)",
    );
  });

  it("accepts what citty accepts: values that look like flags, =, --no- switches, camelCase, after --", async () => {
    await check("train", "--orders=o.csv", "--out", "--odd-folder", "--no-json", "--minSupport", "3");
    await check("config", "push", "c.json", "--local", "--persist-to", "x");
    await check("train", "--", "--anything");
  });

  it("refuses an unknown command before its flags, with the command meant", async () => {
    await expect(check("trian", "--curency")).rejects.toThrow("unknown command trian (did you mean train?)");
    await expect(check("config", "pusj")).rejects.toThrow("unknown command pusj for config (did you mean push?)");
  });

  it("accepts every declared flag of every command and subcommand", async () => {
    const commands: [string[], Record<string, { type?: string }>][] = [];
    for (const [name, command] of Object.entries(main.subCommands as Record<string, object>)) {
      const def = command as { args?: Record<string, { type?: string }>; subCommands?: Record<string, object> };
      if (def.args) commands.push([[name], def.args]);
      for (const [subName, sub] of Object.entries(def.subCommands ?? {})) {
        commands.push([[name, subName], (sub as { args?: Record<string, { type?: string }> }).args ?? {}]);
      }
    }
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const [path, args] of commands) {
      const flags = Object.entries(args)
        .filter(([, def]) => def.type !== "positional")
        .flatMap(([flag, def]) => (def.type === "boolean" ? [`--${flag}`] : [`--${flag}`, "v"]));
      await check(...path, ...flags);
    }
  });
});

describe("sidecart --version", () => {
  it("prints the version and exits 0, not 'unknown flag'", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await run(["--version"])).toBe(0);
      expect(write).toHaveBeenCalledWith("0.1.0\n");
    } finally {
      write.mockRestore();
    }
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and swaps of neighbours", () => {
    expect(editDistance("GPB", "GBP")).toBe(1);
    expect(editDistance("trian", "train")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("curency", "currency")).toBe(1);
    expect(editDistance("too", "to")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});
