import type { Config } from '../config';
import type { PlainResponse } from '../http/plain';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time: the file sits outside src/ and lib/
const packageVersion = (require('../../package.json') as { version: string }).version;

/** The version this instance runs: the deploy's APP_VERSION, else the package version. */
export function appVersion(config: Config): string {
  return config.APP_VERSION ?? packageVersion;
}

/**
 * Liveness for load balancers and uptime checks (clause 5.9). Deliberately touches no backend:
 * it answers whether this instance serves, and which version.
 */
export function health(config: Config): PlainResponse {
  return {
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ ok: true, version: appVersion(config) }),
    headers: { 'Cache-Control': 'no-store' },
  };
}
