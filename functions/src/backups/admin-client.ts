import type { v1 } from '@google-cloud/firestore';
import type { Config } from '../config';

/** The official Firestore Admin API client (`@google-cloud/firestore` v1). */
export type FirestoreAdminClient = InstanceType<typeof v1.FirestoreAdminClient>;

const clients = new Map<string, FirestoreAdminClient>();

/**
 * Client options for FIRESTORE_ADMIN_ENDPOINT (tests only): REST over plain HTTP to a local
 * endpoint, authenticated by an OAuth2 client holding a preset token, so nothing asks the metadata
 * server or Google for credentials. The OAuth2Client must come from the google-auth-library that
 * google-gax itself uses (v9): the v10 one of our own dependencies returns its headers as a
 * `Headers` object, which gax 4 spreads into nothing, and the request would go out unauthenticated.
 */
function testEndpointOptions(endpoint: string): Record<string, unknown> {
  const url = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const gaxAuth = require(require.resolve('google-auth-library', { paths: [require.resolve('google-gax')] })) as typeof import('google-auth-library');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const authClient = new gaxAuth.OAuth2Client();
  // No expiry_date: the library treats such a token as never expiring, so it never asks to refresh.
  authClient.setCredentials({ access_token: 'test-endpoint-token' });
  return {
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: url.protocol.replace(':', ''),
    fallback: 'rest',
    authClient,
  };
}

/**
 * The Firestore Admin client for this config, built on first use and then reused (a client holds
 * connections and credentials). Loaded lazily: `@google-cloud/firestore` costs every other
 * function's cold start too much to import at module load.
 */
export function firestoreAdminClient(config: Config): FirestoreAdminClient {
  const key = `${config.GCLOUD_PROJECT}|${config.FIRESTORE_ADMIN_ENDPOINT ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const firestore = require('@google-cloud/firestore') as typeof import('@google-cloud/firestore');
    const options = config.FIRESTORE_ADMIN_ENDPOINT ? testEndpointOptions(config.FIRESTORE_ADMIN_ENDPOINT) : {};
    client = new firestore.v1.FirestoreAdminClient({ projectId: config.GCLOUD_PROJECT, ...options });
    clients.set(key, client);
  }
  return client;
}

/** Closes every cached client (tests, scripts that must exit). */
export async function closeFirestoreAdminClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close()));
}

/**
 * `projects/<p>/databases/<id>`: `(default)` is the live database every export names; a restore
 * names a new one unless it is in place.
 */
export function databaseName(config: Config, databaseId = '(default)'): string {
  return `projects/${config.GCLOUD_PROJECT}/databases/${databaseId}`;
}
