/** What the global setup hands to every test project (Node and Workers runtime alike). */
export interface SeedModel {
  /** Folder of the version trained on the bundled sample. */
  dir: string;
  version: string;
  /** KV entries to write (key → base64 value), pointer last. */
  entries: [string, string][];
}

declare module "vitest" {
  export interface ProvidedContext {
    seedModel: SeedModel;
  }
}
