/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of moto: every `every`-th request gets, instead of
 * moto's answer, an error a real AWS endpoint sends under load (503 SlowDown, 400/429 throttling, 500) or
 * a connection reset, in the wire format of the service it was meant for. No request is faulted more
 * than `maxFaultsPerRequest` times, so a client that retries enough always gets through; the kinds of
 * fault follow a seeded sequence in which every four faults are the four kinds in a shuffled order. Faults happen before forwarding: moto never sees a faulted request.
 */
import * as http from "http";
import * as net from "net";
import { seeded } from "../seeded";

/** The faults the proxy injects. */
export const FAULT_KINDS = ["slowdown", "throttling", "internal", "reset"] as const;
/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a request is, as the proxy sees it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  /** The SigV4 service name (`s3`, `glue`, `ses`). */
  readonly service: string;
}

/** Proxy settings. */
export interface FaultProxyOptions {
  /** moto's endpoint, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** Fault every n-th request. @default 3 */
  readonly every?: number;
  /** Seed of the sequence of fault kinds. @default 7 */
  readonly seed?: number;
  /** @default 2 */
  readonly maxFaultsPerRequest?: number;
  /** Requests answered 403 AccessDenied every time (a non-retryable failure). */
  readonly deny?: (request: ProxiedRequest) => boolean;
}

/** A running proxy. */
export interface FaultProxy {
  readonly endpoint: string;
  readonly stats: { requests: number; denied: number; faults: Record<FaultKind, number> };
  stop(): Promise<void>;
}

/** Fisher-Yates with the seeded PRNG. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function serviceOf(req: http.IncomingMessage): string {
  const m = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
  return m ? m[1] : "unknown";
}

/** An HTTP error response. */
interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The error response of `kind` for `service`, in its protocol (S3 XML, Glue JSON 1.1, SES v2 REST JSON). */
function errorResponse(
  service: string,
  kind: Exclude<FaultKind, "reset"> | "denied",
  head: boolean,
): ErrorResponse {
  if (service === "s3") {
    const [status, code] = {
      slowdown: [503, "SlowDown"],
      throttling: [head ? 503 : 400, head ? "SlowDown" : "ThrottlingException"],
      internal: [500, "InternalError"],
      denied: [403, "AccessDenied"],
    }[kind] as [number, string];
    return {
      status,
      headers: { "content-type": "application/xml" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected ${kind}</Message><RequestId>fault-proxy</RequestId></Error>`,
    };
  }
  const json = service === "glue";
  const [status, code] = {
    slowdown: [503, json ? "ServiceUnavailableException" : "ServiceUnavailable"],
    throttling: json ? [400, "ThrottlingException"] : [429, "TooManyRequestsException"],
    internal: [500, json ? "InternalServiceException" : "InternalFailure"],
    denied: [json ? 400 : 403, "AccessDeniedException"],
  }[kind] as [number, string];
  return {
    status,
    headers: {
      "content-type": json ? "application/x-amz-json-1.1" : "application/json",
      "x-amzn-errortype": code,
    },
    body: JSON.stringify(
      json ? { __type: code, message: `injected ${kind}` } : { message: `injected ${kind}` },
    ),
  };
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.hostname !== "127.0.0.1") throw new Error(`target: ${options.target} must be on 127.0.0.1`);
  const every = options.every ?? 3;
  const maxFaults = options.maxFaultsPerRequest ?? 2;
  const random = seeded(options.seed ?? 7);
  const faultsPerRequest = new Map<string, number>();
  const kinds: FaultKind[] = [];
  const stats: FaultProxy["stats"] = {
    requests: 0,
    denied: 0,
    faults: { slowdown: 0, throttling: 0, internal: 0, reset: 0 },
  };
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    const n = ++stats.requests;
    const service = serviceOf(req);
    const request = { method: req.method ?? "GET", url: req.url ?? "/", service };
    const id = `${request.method} ${request.url} ${req.headers.range ?? ""} ${req.headers["x-amz-target"] ?? ""}`;
    const respond = (r: ErrorResponse) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(r.status, { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) });
        res.end(req.method === "HEAD" ? undefined : r.body);
      });
    };
    if (options.deny?.(request)) {
      stats.denied++;
      respond(errorResponse(service, "denied", req.method === "HEAD"));
      return;
    }
    const faulted = faultsPerRequest.get(id) ?? 0;
    if (n % every === 0 && faulted < maxFaults) {
      faultsPerRequest.set(id, faulted + 1);
      if (kinds.length === 0) kinds.push(...shuffle([...FAULT_KINDS], random));
      const kind = kinds.shift()!;
      stats.faults[kind]++;
      if (kind === "reset") {
        req.socket.destroy();
        return;
      }
      respond(errorResponse(service, kind, req.method === "HEAD"));
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
