import { fileURLToPath } from "node:url";

const data = (path: string) => fileURLToPath(new URL(`../data/${path}`, import.meta.url));

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/** The bundled Online Retail sample. */
export const sampleOrders = data("orders.csv.gz");
export const sampleCatalog = data("catalog.csv.gz");
/** The bundled Complete Journey slice (the GROCERY department): category ladders. */
export const journeyOrders = data("completejourney/orders.csv.gz");
export const journeyCatalog = data("completejourney/catalog.csv.gz");

/** A config document with one experiment whose second variant serves model `version` (pins it). */
export const pinningConfig = (version: string) => ({
  experiments: [
    {
      id: "last-week",
      salt: "s",
      enabled: true,
      traffic: 1,
      surfaces: ["also-bought"],
      variants: [
        { name: "control", weight: 1 },
        { name: "old", weight: 1, model: version },
      ],
    },
  ],
});
