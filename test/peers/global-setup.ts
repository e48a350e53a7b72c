// vitest globalSetup: the peer broker. Runs once per `vitest run`, in the main process.
//
// Test files run in separate worker processes, yet each server peer (Spark, the Iceberg REST
// fixture, moto) must be started ONCE per run and always stopped. The broker is a tiny HTTP server
// on 127.0.0.1: the first worker that asks for a peer (`GET /peer/<name>`, from
// test/util/peers.ts) makes the broker install and start it; every later ask, from any worker,
// gets the same URL. Nothing starts unless a test asks for it, and teardown stops whatever did.
// Its URL reaches the workers through `provide("enginePeerBroker", …)` and ENGINE_PEER_BROKER.

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startServer, type RunningServer, type ServerPeer } from "./servers.js";

const SERVER_PEERS: ReadonlySet<string> = new Set<ServerPeer>(["spark", "rest-catalog", "moto"]);

/** Starts the broker; returns the teardown that stops it and every peer it started. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = new Map<ServerPeer, Promise<RunningServer>>();

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      const data = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
      res.end(data);
    };
    const m = /^\/peer\/([a-z-]+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || !m || !SERVER_PEERS.has(m[1]!)) {
      reply(404, { error: `no route ${req.method} ${req.url}` });
      return;
    }
    const name = m[1] as ServerPeer;
    let p = started.get(name);
    if (!p) {
      p = startServer(name);
      started.set(name, p);
      // A failed start is not cached: the next ask tries again (and reports its own error).
      p.catch(() => started.delete(name));
    }
    p.then(
      (s) => reply(200, { name: s.name, url: s.url, info: s.info, logFile: s.logFile }),
      (e: unknown) => reply(500, { error: e instanceof Error ? e.message : String(e) }),
    );
  });
  server.requestTimeout = 0; // installs can take minutes
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  project.provide("enginePeerBroker", url);
  process.env.ENGINE_PEER_BROKER = url;

  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const running = await Promise.allSettled(started.values());
    await Promise.all(running.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
  };
}
