// Helpers for tests against the run's moto server: S3 properties, fresh buckets, and a proxy that
// injects S3 faults (500 / 503 SlowDown) in front of moto.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { MotoPeer } from "../../../../test/util/peers.js";

/** FileIO / catalog properties pointing at moto (path-style, static fake credentials). */
export function motoProps(moto: MotoPeer, endpoint = moto.endpoint): Record<string, string> {
  return {
    "s3.endpoint": endpoint,
    "s3.region": moto.region,
    "s3.access-key-id": moto.accessKeyId,
    "s3.secret-access-key": moto.secretAccessKey,
    "s3.path-style-access": "true",
    "client.region": moto.region,
    "client.access-key-id": moto.accessKeyId,
    "client.secret-access-key": moto.secretAccessKey,
  };
}

/** Creates a bucket in moto with a plain HTTP PUT (path-style). */
export async function createBucket(moto: MotoPeer, bucket: string): Promise<void> {
  const res = await fetch(`${moto.endpoint}/${bucket}`, { method: "PUT" });
  if (res.status !== 200) throw new Error(`moto: create bucket ${bucket}: HTTP ${res.status} ${await res.text()}`);
}

/** A local proxy in front of moto that answers a fraction of matching requests itself with an error. */
export interface FaultProxy {
  readonly url: string;
  /** Requests answered with an injected fault, and forwarded, so far. */
  readonly stats: { faults: number; forwarded: number };
  /** Fraction (0..1) of matching requests to fail; change it at any time. */
  rate: number;
  close(): Promise<void>;
}

const FAULTS = [
  { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." },
  { status: 503, code: "SlowDown", message: "Please reduce your request rate." },
  { status: 503, code: "ServiceUnavailable", message: "Service is unable to handle request." },
];

/**
 * Starts a proxy to `target` that fails `rate` of the requests `matches` selects (by default every
 * request) with S3-style XML errors, without forwarding them: the injected failure never
 * reaches moto, so a retried request is the first one moto sees.
 */
export async function startFaultProxy(target: string, rate: number, matches: (req: http.IncomingMessage) => boolean = () => true, seed = 42): Promise<FaultProxy> {
  let s = seed >>> 0;
  const random = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const stats = { faults: 0, forwarded: 0 };
  const proxy: FaultProxy = {
    url: "",
    stats,
    rate,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (matches(req) && random() < proxy.rate) {
        stats.faults++;
        const f = FAULTS[Math.floor(random() * FAULTS.length)]!;
        res.writeHead(f.status, { "content-type": "application/xml" });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${f.code}</Code><Message>${f.message}</Message><RequestId>fault</RequestId></Error>`);
        return;
      }
      stats.forwarded++;
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/**
 * A proxy for AWS JSON-protocol services (Glue, Athena) that lets a test rewrite moto's answer
 * to one operation (`X-Amz-Target`, e.g. "AWSGlue.GetTables"), for behaviour moto lacks, such
 * as paging; `rewrite` gets the request and response JSON and returns the JSON to send.
 */
export async function startJsonRewriteProxy(
  target: string,
  rewrite: (operation: string, request: any, response: any) => any,
): Promise<{ url: string; calls: Map<string, number>; close(): Promise<void> }> {
  const t = new URL(target);
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      calls.set(op, (calls.get(op) ?? 0) + 1);
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        const out: Buffer[] = [];
        upRes.on("data", (c: Buffer) => out.push(c));
        upRes.on("end", () => {
          let payload = Buffer.concat(out);
          if (op && (upRes.statusCode ?? 500) < 300) {
            const next = rewrite(op, body.length ? JSON.parse(body.toString("utf8")) : {}, payload.length ? JSON.parse(payload.toString("utf8")) : {});
            if (next !== undefined) payload = Buffer.from(JSON.stringify(next));
          }
          const headers = { ...upRes.headers, "content-length": String(payload.length) };
          delete headers["transfer-encoding"];
          delete headers["x-amz-crc32"];
          res.writeHead(upRes.statusCode ?? 502, headers);
          res.end(payload);
        });
      });
      up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Pages a list in a JSON response by an integer NextToken (the proxy keeps moto's full answer per call). */
export function pageList(response: any, listKey: string, request: any, pageSize: number): any {
  const all: unknown[] = response[listKey] ?? [];
  const start = request.NextToken ? Number(request.NextToken) : 0;
  const end = start + pageSize;
  return { ...response, [listKey]: all.slice(start, end), ...(end < all.length ? { NextToken: String(end) } : {}) };
}

/**
 * A proxy to `target` that forwards every request but, for the first `count` requests `matches`
 * selects, answers the client 500 InternalError instead of the target's answer: the request took
 * effect and its answer was lost, so the SDK retries something that already happened.
 */
export async function startLostAnswerProxy(target: string, matches: (req: http.IncomingMessage) => boolean, count = 1): Promise<{ url: string; lost: number; close(): Promise<void> }> {
  const t = new URL(target);
  const state = { url: "", lost: 0, close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const lose = state.lost < count && matches(req);
      if (lose) state.lost++;
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        if (!lose) { res.writeHead(upRes.statusCode ?? 502, upRes.headers); upRes.pipe(res); return; }
        upRes.resume();
        upRes.on("end", () => {
          res.writeHead(500, { "content-type": "application/xml" });
          res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>answer lost (injected)</Message><RequestId>lost</RequestId></Error>');
        });
      });
      up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
