import type { App } from 'firebase-admin/app';
import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import type { Transporter } from 'nodemailer';
import { loadConfig, redactConfig, type Config } from './config';
import { systemClock, type Clock } from './shared/clock';
import { createLogger, type Logger } from './shared/log';

/** Everything a use case may need. Each member is built on first use and then reused. */
export interface Deps {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly db: Firestore;
  readonly auth: Auth;
  readonly mailer: Transporter;
}

/** Members a caller (a test, a benchmark) supplies instead of the defaults. */
export type DepsOverrides = Partial<Omit<Deps, 'config'>>;

/* eslint-disable @typescript-eslint/no-require-imports --
   required on first use, not at module load: a function that never touches Firestore
   (health, securityTxt) must not pay for loading firebase-admin on its cold start. */
function adminApp(config: Config): App {
  const { getApps, initializeApp } = require('firebase-admin/app') as typeof import('firebase-admin/app');
  const name = `orderpally-${config.GCLOUD_PROJECT}`;
  return getApps().find((a) => a.name === name) ?? initializeApp({ projectId: config.GCLOUD_PROJECT }, name);
}

function buildDb(config: Config): Firestore {
  const { getFirestore } = require('firebase-admin/firestore') as typeof import('firebase-admin/firestore');
  const db = getFirestore(adminApp(config));
  try {
    db.settings({ ignoreUndefinedProperties: true });
  } catch {
    // settings() may be called once per instance; a second Deps on the same app reuses it.
  }
  return db;
}

function buildAuth(config: Config): Auth {
  const { getAuth } = require('firebase-admin/auth') as typeof import('firebase-admin/auth');
  return getAuth(adminApp(config));
}

function buildMailer(config: Config): Transporter {
  if (!config.SMTP_URL) throw new Error('SMTP_URL is not configured: mail cannot be sent');
  const nodemailer = require('nodemailer') as typeof import('nodemailer');
  const url = new URL(config.SMTP_URL);
  url.searchParams.set('pool', 'true');
  return nodemailer.createTransport(url.toString());
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Builds a Deps whose heavy members are created lazily, on first access. */
export function createDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const cache: Partial<Record<keyof Deps, unknown>> = { ...overrides };
  const once = <K extends keyof Deps>(key: K, build: () => Deps[K]): Deps[K] => {
    if (!(key in cache)) cache[key] = build();
    return cache[key] as Deps[K];
  };
  return {
    config,
    get clock() {
      return once('clock', () => systemClock);
    },
    get log() {
      return once('log', () => createLogger(config.LOG_LEVEL));
    },
    get db() {
      return once('db', () => buildDb(config));
    },
    get auth() {
      return once('auth', () => buildAuth(config));
    },
    get mailer() {
      return once('mailer', () => buildMailer(config));
    },
  };
}

let processDeps: Deps | undefined;

/**
 * The process-wide Deps, built from the environment on the first request (not at import time,
 * so a bad config answers requests with a logged error instead of a crash loop).
 */
export function getDeps(): Deps {
  if (!processDeps) {
    const deps = createDeps(loadConfig());
    deps.log.log('INFO', 'config.loaded', { config: redactConfig(deps.config) });
    processDeps = deps;
  }
  return processDeps;
}
