import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex, sha256HexOfText, sha256OfText, sha256Stream } from "../../models/digest.js";

// FIPS 180-2's first example.
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

describe("SHA-256 (models/digest): one answer whichever engine computes it", () => {
  it("blob, text and stream forms agree with the standard's test vector", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe(ABC);
    expect(sha256HexOfText("abc")).toBe(ABC);
    expect(Buffer.from(sha256OfText("abc")).toString("hex")).toBe(ABC);
    const stream = sha256Stream();
    for (const piece of ["a", "", "bc"]) stream.update(new TextEncoder().encode(piece));
    expect(stream.hex()).toBe(ABC);
  });

  it("a stream fed in uneven pieces gives the one-shot digest of a large input (the trainer's fingerprint)", async () => {
    const bytes = Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 2654435761) >>> 24);
    const stream = sha256Stream();
    for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 13) % 65_537) {
      stream.update(bytes.subarray(at, at + step));
    }
    const expected = createHash("sha256").update(bytes).digest("hex");
    expect(stream.hex()).toBe(expected);
    expect(await sha256Hex(bytes)).toBe(expected);
  });
});
