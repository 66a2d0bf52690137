import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseConfigDocument } from "../../models/config/configDocument.js";
import { eventSchema } from "../../models/events/event.js";
import { pointerSchema } from "../../models/manifest.js";
import { describeIssues } from "../../models/zodIssues.js";
import { pinningConfig } from "../fixtures.js";

describe("schema pieces used in more than one document are one definition", () => {
  it("a config pins exactly the version names a manifest's pointer can carry (1–80 characters)", () => {
    for (const length of [1, 80, 81, 100]) {
      const name = "v".repeat(length);
      const pointer = pointerSchema.safeParse({ version: name, publishedAt: "2026-11-30T00:00:00.000Z" }).success;
      expect(parseConfigDocument(pinningConfig(name)).ok, `${length} characters`).toBe(pointer);
      expect(pointer).toBe(length <= 80);
    }
  });

  it("an event's experiment and variant follow the config's name rule", () => {
    for (const name of ["next", "a_b-c", "Next", "-next", "x".repeat(41)]) {
      const [only] = pinningConfig("v1").experiments;
      const inConfig = parseConfigDocument({ experiments: [{ ...only, id: name }] }).ok;
      expect(inConfig, name).toBe(/^[a-z0-9][a-z0-9_-]{0,39}$/.test(name));
      expect(eventSchema.shape.experiment.safeParse(name).success, name).toBe(inConfig);
      expect(eventSchema.shape.variant.safeParse(name).success, name).toBe(inConfig);
    }
  });

  it("issues read the same everywhere: JSON paths, '(root)' for the value itself, joined by '; '", () => {
    const schema = z.object({ events: z.array(z.object({ type: z.literal("click"), value: z.number() })) });
    const result = schema.safeParse({
      events: [
        { type: "click", value: 1 },
        { type: "view", value: "x" },
      ],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(describeIssues(result.error)).toMatch(/^events\[1\]\.type: .+; events\[1\]\.value: .+$/);
    const root = z.string().safeParse(1);
    if (!root.success) expect(describeIssues(root.error)).toMatch(/^\(root\): /);
  });
});
