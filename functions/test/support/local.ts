import { createClient, type TestClient } from './client';
import { startFunctionsServer, type RunningServer } from './server';

/** The local functions server and a client app pointed at it, for one test file. */
export interface LocalFunctions {
  readonly server: RunningServer;
  readonly client: TestClient;
}

/**
 * Starts the local functions server (every production function plus `extra` names) and a Firebase
 * client app before the file's tests, and stops both after them.
 */
export function useLocalFunctions(extra: readonly string[] = []): LocalFunctions {
  let server: RunningServer | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => {
    server = await startFunctionsServer(extra);
    client = createClient(server.port);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useLocalFunctions: used outside a test (before beforeAll ran)');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}
