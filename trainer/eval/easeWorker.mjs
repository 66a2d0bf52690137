// The dense EASE baseline's λ tuning on a second core (easeInBackground.ts). The CLI runs TypeScript
// through tsx, which a worker thread does not inherit: register it here, then load the code.
import { register } from "tsx/esm/api";

register();
await import("./easeWorkerMain.ts");
