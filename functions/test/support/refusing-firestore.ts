import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Firestore } from 'firebase-admin/firestore';
import { PROJECT_ID } from './server';

/** A Firestore client whose chosen calls the database refuses; see `refusingFirestore`. */
export interface RefusingFirestore {
  readonly db: Firestore;
  /** How many calls were refused. */
  refused(): number;
  close(): Promise<void>;
}

/**
 * A Firestore client on `db`'s database that reaches the emulator through a local gRPC proxy.
 * The proxy answers a call with PERMISSION_DENIED when `refuse(method, nth)` says so (`method` is
 * the gRPC method, as `BatchWrite` or `RunQuery`; `nth` counts that method's calls from 1), as a
 * database refusing it would, and passes every other call through unchanged.
 */
export async function refusingFirestore(db: Firestore, refuse: (method: string, nth: number) => boolean): Promise<RefusingFirestore> {
  const upstream = http2.connect(`http://${process.env.FIRESTORE_EMULATOR_HOST ?? ''}`);
  const sessions = new Set<http2.ServerHttp2Session>();
  const calls = new Map<string, number>();
  let refused = 0;
  const server = http2.createServer();
  server.on('session', (session) => sessions.add(session));
  server.on('stream', (stream, headers) => {
    const method = String(headers[':path']).split('/').pop() ?? '';
    const nth = (calls.get(method) ?? 0) + 1;
    calls.set(method, nth);
    if (refuse(method, nth)) {
      refused += 1;
      stream.resume();
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '7', 'grpc-message': `${method} refused` }, { endStream: true });
      return;
    }
    const call = upstream.request(headers);
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('response', (answer) => {
      // A call that fails at once answers with its status in the headers and no body.
      if (answer['grpc-status'] !== undefined) stream.respond(answer, { endStream: true });
      else {
        stream.respond(answer, { waitForTrailers: true });
        call.pipe(stream);
      }
    });
    call.on('trailers', (received: http2.IncomingHttpHeaders) => {
      trailers = received;
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => call.close());
    stream.pipe(call);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  // The client takes the emulator's address from the environment when it is made.
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxied = new Firestore({ projectId: PROJECT_ID, databaseId: db.databaseId });
  process.env.FIRESTORE_EMULATOR_HOST = saved;
  return {
    db: proxied,
    refused: () => refused,
    close: async () => {
      await proxied.terminate();
      for (const session of sessions) session.destroy();
      upstream.close();
      await new Promise((closed) => server.close(closed));
    },
  };
}
