// Adds V8 flags to the binary Cap'n Proto config that miniflare hands workerd on stdin (miniflare has
// no option for workerd's `Config.v8Flags`). Used by scripts/workerd-v8.sh; as a command it reads the
// config from stdin, takes the flags as arguments and writes the new config to stdout.
//
// Cap'n Proto wire format (https://capnproto.org/encoding.html), little-endian 64-bit words:
// - a message is a segment table (u32 segment count − 1, one u32 size in words per segment, padded
//   to 8 bytes) followed by the segments;
// - the root is a struct pointer in word 0 of segment 0; a struct's pointer section follows its data
//   section, and `v8Flags` is pointer slot 2 of the root `Config` (List(Text));
// - pointers: struct = offset<<2 | 0, data words | pointer count<<16; list = offset<<2 | 1,
//   element size | count<<3 (size 2 = bytes, 6 = pointers); far = landing-pad word<<3 | 2, segment id.
//   An offset counts words from the end of the pointer to the target.
// Rather than make room in an existing segment, the flags go into a new last segment, reached from
// slot 2 by a far pointer: word 0 of the new segment is the landing pad (a list pointer to the text
// pointers right after it), then one text pointer per flag, then the NUL-terminated texts.

const WORD = 8;
const V8_FLAGS_SLOT = 2;

/** @param {Buffer} message @returns {{ segments: Buffer[] }} */
function readSegments(message) {
  if (message.length < 8) throw new Error("config: too short for a Cap'n Proto message");
  const count = message.readUInt32LE(0) + 1;
  const headerBytes = Math.ceil((4 + 4 * count) / WORD) * WORD;
  const segments = [];
  let at = headerBytes;
  for (let i = 0; i < count; i++) {
    const bytes = message.readUInt32LE(4 + 4 * i) * WORD;
    if (at + bytes > message.length) throw new Error("config: segment table runs past the message");
    segments.push(message.subarray(at, at + bytes));
    at += bytes;
  }
  return { segments };
}

/** The root struct's pointer section: its segment and the word where it starts. */
function rootPointers(segments) {
  const first = segments[0];
  if (!first || first.length < WORD) throw new Error("config: no root pointer");
  let segment = first;
  let pointerWord = 0;
  if ((first.readUInt32LE(0) & 3) === 2) {
    // A far pointer to a single landing pad holding the struct pointer.
    if (first.readUInt32LE(0) & 4) throw new Error("config: double-far root pointer is not handled");
    const target = segments[first.readUInt32LE(4)];
    if (!target) throw new Error("config: far root pointer to a missing segment");
    segment = target;
    pointerWord = first.readUInt32LE(0) >>> 3;
  }
  const low = segment.readUInt32LE(pointerWord * WORD);
  if ((low & 3) !== 0) throw new Error("config: root pointer is not a struct pointer");
  const offset = low >> 2; // signed
  const high = segment.readUInt32LE(pointerWord * WORD + 4);
  const dataWords = high & 0xffff;
  const pointerCount = high >>> 16;
  return { segment, start: pointerWord + 1 + offset + dataWords, pointerCount };
}

/**
 * The config with `flags` as its V8 flags. Refuses a config that already has V8 flags (merging is
 * not needed here) and any layout it does not understand, rather than write a wrong message.
 * @param {Buffer} message @param {string[]} flags @returns {Buffer}
 */
export function addV8Flags(message, flags) {
  if (flags.length === 0) return message;
  const { segments } = readSegments(message);
  const root = rootPointers(segments);
  if (root.pointerCount <= V8_FLAGS_SLOT) throw new Error("config: root struct has no v8Flags slot");
  const slot = (root.start + V8_FLAGS_SLOT) * WORD;
  if (root.segment.readUInt32LE(slot) !== 0 || root.segment.readUInt32LE(slot + 4) !== 0) {
    throw new Error("config: v8Flags is already set");
  }

  const texts = flags.map((flag) => Buffer.from(`${flag}\0`, "utf8"));
  const textWords = texts.map((text) => Math.ceil(text.length / WORD));
  const words = 1 + flags.length + textWords.reduce((a, b) => a + b, 0);
  const added = Buffer.alloc(words * WORD);
  // Landing pad: list of `flags.length` pointers starting right after it (offset 0).
  added.writeUInt32LE(1, 0);
  added.writeUInt32LE(6 | (flags.length << 3), 4);
  let textAt = 1 + flags.length;
  texts.forEach((text, i) => {
    const pointerWord = 1 + i;
    added.writeUInt32LE(((textAt - (pointerWord + 1)) << 2) | 1, pointerWord * WORD);
    added.writeUInt32LE(2 | (text.length << 3), pointerWord * WORD + 4);
    text.copy(added, textAt * WORD);
    textAt += textWords[i] ?? 0;
  });

  const newSegmentId = segments.length;
  const patchedRoot = Buffer.from(root.segment);
  patchedRoot.writeUInt32LE(2, slot); // far pointer, landing pad at word 0
  patchedRoot.writeUInt32LE(newSegmentId, slot + 4);
  const all = [...segments.map((s) => (s === root.segment ? patchedRoot : s)), added];

  const headerBytes = Math.ceil((4 + 4 * all.length) / WORD) * WORD;
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(all.length - 1, 0);
  all.forEach((s, i) => header.writeUInt32LE(s.length / WORD, 4 + 4 * i));
  return Buffer.concat([header, ...all]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  process.stdout.write(addV8Flags(Buffer.concat(chunks), process.argv.slice(2)));
}
