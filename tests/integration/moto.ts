/**
 * A real `moto_server` for integration tests: started on a free loopback port by the test itself and
 * stopped after. A missing `moto_server` fails the test with how to install it; there is no fallback.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as net from "net";

/** Dummy credentials moto accepts (the default account 123456789012). */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** A running moto server. */
export interface Moto {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Everything moto holds, per service (`GET /moto-api/data.json`). */
  data(): Promise<Record<string, Record<string, unknown[]>>>;
  /** The e-mails SES recorded (SES v1 and v2 both land there). */
  sesMessages(): Promise<SesMessage[]>;
  /** Empties every service. */
  reset(): Promise<void>;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** One e-mail as moto records it. */
export interface SesMessage {
  readonly id: string;
  readonly source: string;
  readonly subject: string;
  readonly body: string;
  readonly destinations: { readonly ToAddresses?: string[] };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function assertMotoInstalled(): void {
  const probe = spawnSync("moto_server", ["--help"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new Error(
      "moto_server is not on PATH, and these integration tests run against a real moto server (no fake): " +
        "install it with pip install 'moto[server]>=5.2,<5.3' and run the tests again" +
        (probe.error ? ` (${probe.error.message})` : ""),
    );
}

async function waitUntilUp(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with ${child.exitCode} before answering:\n${output()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  assertMotoInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitUntilUp(endpoint, child, () => log, timeoutMs);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  const data = async () => {
    const res = await fetch(`${endpoint}/moto-api/data.json`);
    if (!res.ok) throw new Error(`moto data.json: HTTP ${res.status}`);
    return (await res.json()) as Record<string, Record<string, unknown[]>>;
  };
  return {
    endpoint,
    port,
    data,
    sesMessages: async () => ((await data()).ses?.Message ?? []) as SesMessage[],
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!res.ok) throw new Error(`moto reset: HTTP ${res.status}`);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
