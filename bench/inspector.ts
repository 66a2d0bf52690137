import WebSocket from "ws";

/** A Chrome DevTools Protocol session with the worker's isolate, through workerd's inspector port. */
export class Inspector {
  private id = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id !== undefined)
        this.pending.get(message.id)?.(message.error ? { error: message.error } : message.result);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
      title: string;
    }[];
    const url =
      targets.find((t) => t.title.includes("sidecart"))?.webSocketDebuggerUrl ?? targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error("workerd's inspector lists no worker");
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return new Inspector(socket);
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    return new Promise((resolve) => {
      this.pending.set(++this.id, resolve as (result: unknown) => void);
      this.socket.send(JSON.stringify({ id: this.id, method, params }));
    });
  }

  /**
   * The isolate's live memory, from a heap snapshot (which collects garbage first, so the KV chunks a
   * load copied from do not count): JS objects, and ArrayBuffer backing stores (the catalog and
   * evidence blobs and ORT's wasm memory among them). That is what the Workers memory limit is about;
   * V8's own usage counters include garbage not yet swept.
   */
  async liveBytes(): Promise<{ heap: number; buffers: number; total: number }> {
    const chunks: string[] = [];
    const collect = (data: unknown) => {
      const message = JSON.parse(String(data)) as { method?: string; params?: { chunk: string } };
      if (message.method === "HeapProfiler.addHeapSnapshotChunk" && message.params) chunks.push(message.params.chunk);
    };
    this.socket.on("message", collect);
    await this.send("HeapProfiler.enable");
    await this.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    // Disabling drops the object ids the snapshot assigned. Left enabled, V8 keeps that map up to date
    // at every GC from then on, which made the soak's p99 climb with each snapshot taken.
    await this.send("HeapProfiler.disable");
    this.socket.off("message", collect);
    const snapshot = JSON.parse(chunks.join("")) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snapshot.snapshot.meta.node_fields;
    const typeNames = snapshot.snapshot.meta.node_types[0];
    const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
    let heap = 0;
    let buffers = 0;
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const size = snapshot.nodes[i + (sizeAt ?? 0)] ?? 0;
      const native = typeNames[snapshot.nodes[i + (typeAt ?? 0)] ?? 0] === "native";
      if (native && snapshot.strings[snapshot.nodes[i + (nameAt ?? 0)] ?? 0] === "system / JSArrayBufferData")
        buffers += size;
      else heap += size;
    }
    return { heap, buffers, total: heap + buffers };
  }

  close(): void {
    this.socket.close();
  }
}
