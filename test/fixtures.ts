import { fileURLToPath } from "node:url";

const data = (path: string) => fileURLToPath(new URL(`../data/${path}`, import.meta.url));

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/** The bundled Online Retail sample. */
export const sampleOrders = data("orders.csv.gz");
export const sampleCatalog = data("catalog.csv.gz");
/** The bundled Complete Journey slice (the GROCERY department): category ladders. */
export const journeyOrders = data("completejourney/orders.csv.gz");
export const journeyCatalog = data("completejourney/catalog.csv.gz");
