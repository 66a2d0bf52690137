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
   * The isolate's memory as V8 counts it: JS heap plus ArrayBuffer backing stores (which hold the
   * model blobs and ORT's wasm memory); what the Workers memory limit is about.
   */
  async isolateBytes(): Promise<{ heap: number; backing: number; total: number }> {
    // Garbage (the KV chunks a load copied from, say) must not count.
    await this.send("HeapProfiler.enable");
    await Promise.race([this.send("HeapProfiler.collectGarbage"), new Promise((r) => setTimeout(r, 3000))]);
    const usage = await this.send<{ usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number }>(
      "Runtime.getHeapUsage",
    );
    const heap = usage.usedSize + (usage.embedderHeapUsedSize ?? 0);
    const backing = usage.backingStorageSize ?? NaN;
    return { heap, backing, total: heap + backing };
  }

  close(): void {
    this.socket.close();
  }
}
