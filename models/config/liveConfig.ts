import { sha256HexOfText } from "../digest.js";
import { resolveRules, type RulesConfig } from "./rulesConfig.js";
import { parseConfigText, type ConfigDocument } from "./configDocument.js";

/** A validated config document with its rules resolved, named by a digest of its text. */
export interface LiveConfig {
  document: ConfigDocument;
  rules: RulesConfig;
  /** First 16 hex digits of the SHA-256 of the document's text: what /healthz and `config push` show. */
  digest: string;
}

export function configDigest(text: string): string {
  return sha256HexOfText(text).slice(0, 16);
}

export function toLiveConfig(document: ConfigDocument, text: string): LiveConfig {
  return { document, rules: resolveRules(document.rules), digest: configDigest(text) };
}

/** Parses a document's text into a LiveConfig, or the "path: problem" lines that refuse it. */
export function readConfigText(text: string): { ok: true; config: LiveConfig } | { ok: false; errors: string[] } {
  const parsed = parseConfigText(text);
  return parsed.ok ? { ok: true, config: toLiveConfig(parsed.document, text) } : parsed;
}

/** The built-in defaults: no experiments, no CORS origins, every knob at its default. */
export const DEFAULT_CONFIG_TEXT = JSON.stringify({ rules: {}, cors: { origins: [] }, experiments: [] });
