import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { FUNCTIONS } from '../../src/index';
import { createLocalServer } from '../../src/local/server';

export const PROJECT_ID = 'demo-orderpally';
export const REGION = 'asia-east1';

/** The local functions server on a free port, with every production function plus `extra` names. */
export interface RunningServer {
  readonly port: number;
  readonly origin: string;
  /** `http://127.0.0.1:<port>/demo-orderpally/asia-east1` */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startFunctionsServer(extra: readonly string[] = []): Promise<RunningServer> {
  const server: Server = createLocalServer({
    projectId: PROJECT_ID,
    region: REGION,
    functionNames: [...Object.keys(FUNCTIONS), ...extra],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    baseUrl: `${origin}/${PROJECT_ID}/${REGION}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
