/**
 * An ONNX model's bytes without its producer_version and metadata_props (ModelProto fields 3 and
 * 14), which are all that differs between two versions trained with the same knobs (the trainer
 * writes the version as the producer version, and the version, size and window as metadata): equal
 * identities mean equal graphs, so one ORT session serves both. A walk over the top-level protobuf
 * fields rather than onnx-proto's decoder: that would bring protobufjs, whose runtime probes `eval`,
 * into the worker's bundle for one comparison.
 */
const VERSION_FIELDS = new Set([3, 14]);

function varint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error("truncated varint");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** The model's top-level fields except those two, in order; null when the bytes are not a protobuf message. */
export function graphIdentity(model: Uint8Array): Uint8Array | null {
  const kept: Uint8Array[] = [];
  let at = 0;
  try {
    while (at < model.length) {
      const start = at;
      const [tag, afterTag] = varint(model, at);
      const wire = tag % 8;
      let end: number;
      if (wire === 0) end = varint(model, afterTag)[1];
      else if (wire === 1) end = afterTag + 8;
      else if (wire === 5) end = afterTag + 4;
      else if (wire === 2) {
        const [length, afterLength] = varint(model, afterTag);
        end = afterLength + length;
      } else return null;
      if (end > model.length) return null;
      if (!VERSION_FIELDS.has(Math.floor(tag / 8))) kept.push(model.subarray(start, end));
      at = end;
    }
  } catch {
    return null;
  }
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of kept) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
