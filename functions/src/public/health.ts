import type { Config, ConfigError } from '../config';
import type { PlainResponse } from '../spec';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time: the file sits outside src/ and lib/
const packageVersion = (require('../../package.json') as { version: string }).version;

/** The version this instance runs: the deploy's APP_VERSION, else the package version. */
export function appVersion(config: Config): string {
  return config.APP_VERSION ?? packageVersion;
}

const HEADERS = { 'Cache-Control': 'no-store' } as const;

/**
 * Liveness for load balancers and uptime checks (clause 5.9). Deliberately touches no backend:
 * it answers whether this instance serves, and which version.
 */
export function health(config: Config): PlainResponse {
  return {
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ ok: true, version: appVersion(config) }),
    headers: HEADERS,
  };
}

/**
 * What `health` answers when the instance refuses to serve (every other function answers a bare
 * 500): 503 and why, for the operator and the uptime check. Variable names only, never their
 * values; the log event `instance.refused` has each problem in full. The version is the
 * package's, since APP_VERSION comes from the config that was refused.
 */
export function refusedHealth(error: ConfigError): PlainResponse {
  const emulators = error.emulatorVariables;
  const keys = [...new Set(error.problems.map((p) => p.split(':')[0] ?? ''))].filter(Boolean);
  const body =
    emulators.length > 0
      ? {
          ok: false,
          version: packageVersion,
          reason: 'EMULATOR_IN_DEPLOYMENT',
          message: `Refusing to serve: this deployed instance has emulator variables set (${emulators.join(', ')}), with which firebase-admin would accept unsigned ID tokens. Remove them from the deployment and redeploy.`,
          variables: emulators,
        }
      : {
          ok: false,
          version: packageVersion,
          reason: 'INVALID_CONFIG',
          message: `Refusing to serve: the configuration is invalid (${keys.join(', ')}). The log event instance.refused says why.`,
          variables: keys,
        };
  return { status: 503, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), headers: HEADERS };
}
