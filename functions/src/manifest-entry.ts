import type { HttpFunction } from '@google-cloud/functions-framework';
import { authenticateApiKey } from './apikeys/authenticate';
import type { SECRET_KEYS } from './config';
import { authenticatedGet } from './http/authenticated-get';
import { blocking } from './http/blocking';
import { callable } from './http/callable';
import { withKindOf, type FunctionKind } from './http/kind';
import { publicGet } from './http/plain';
import { scheduled } from './http/scheduled';
import { BLOCKING_EVENTS, type BlockingEventType } from './identity/event';
import type { Sizing } from './manifest-sizing';
import type { CallableSpec } from './spec';

/**
 * The runtime service-account groups (scripts/deploy/identities.ts gives each its project roles).
 * A function's group is what its account may do, so it is declared with the function.
 */
export const GROUP_IDS = ['pages', 'public-reader', 'public-intake', 'customer', 'customer-mail', 'staff', 'staff-reader', 'staff-mail', 'staff-access',
  'identity', 'sign-in', 'mail', 'lifecycle', 'notices', 'backup', 'backup-check'] as const;
export type GroupId = (typeof GROUP_IDS)[number];

/** A secret environment variable (config.ts SECRET_KEYS) that the deploy mounts from Secret Manager. */
export type SecretKey = (typeof SECRET_KEYS)[number];

/** When Cloud Scheduler (and the local cron) runs a scheduled function. */
export interface Schedule {
  /** Unix cron, Asia/Taipei: the Cloud Scheduler job's schedule. */
  readonly cron: string;
  /** The same period in minutes, for the local cron's interval (derived from `cron`). */
  readonly everyMinutes: number;
}

/** What every function declares besides its use case. */
export interface Facts {
  readonly sizing: Sizing;
  readonly group: GroupId;
  /** Secrets the function reads; every function of one group reads the same (its account may read them). */
  readonly secrets?: readonly SecretKey[];
}

/** One function as the manifest declares it. */
export interface FunctionEntry {
  readonly kind: FunctionKind;
  /** Only for `scheduled` functions. */
  readonly schedule?: Schedule;
  readonly sizing: Sizing;
  readonly group: GroupId;
  readonly secrets: readonly SecretKey[];
  /** The use case behind HTTP under `name`: the wrapper of the declared kind. */
  readonly serve: (name: string) => HttpFunction;
}

/** The period of the crons the local cron can follow: every n minutes, hourly on the hour, daily. */
export function everyMinutesOf(cron: string): number {
  const fields = cron.trim().split(/\s+/);
  const [minute = '', hour = '', ...rest] = fields;
  const daily = fields.length === 5 && rest.every((f) => f === '*');
  const step = /^(?:\*|\*\/(\d+))$/.exec(minute);
  if (daily && hour === '*' && step) return Number(step[1] ?? 1);
  if (daily && hour === '*' && /^\d+$/.test(minute)) return 60;
  if (daily && /^\d+$/.test(hour) && /^\d+$/.test(minute)) return 1440;
  throw new Error(`cron "${cron}": the local cron follows only "*/n * * * *", "m * * * *" and "m h * * *"`);
}

const entry = (kind: FunctionKind, facts: Facts, serve: (name: string) => HttpFunction): FunctionEntry =>
  ({ kind, sizing: facts.sizing, group: facts.group, secrets: facts.secrets ?? [], serve });

/** A use case's export, loaded on first use (manifest.ts): its code is evaluated only where the function runs. */
export type Load<T> = () => T;

/** The handler `build` makes, built by the first request: until then the use case's code is not loaded. */
function onFirstRequest(build: () => HttpFunction): HttpFunction {
  let handler: HttpFunction | undefined;
  const built = (): HttpFunction => (handler ??= build());
  return withKindOf((req, res): unknown => built()(req, res) as unknown, built);
}

/**
 * A callable as the manifest declares it. `types` is never set: it carries the spec's input and
 * (as sent on the wire) and result types to the typed client (api.ts), so client apps cannot drift from the functions.
 */
export interface CallableEntry<W, O> extends FunctionEntry {
  readonly kind: 'callable';
  readonly types?: { readonly input: W; readonly result: O };
}

/** A callable (Firebase callable protocol); API keys are verified where its spec accepts them. */
export function callableFunction<I, O, W>(spec: Load<CallableSpec<I, O, W>>, facts: Facts): CallableEntry<W, O> {
  return { ...entry('callable', facts, (name) => onFirstRequest(() => callable(name, spec(), authenticateApiKey))), kind: 'callable' };
}

/** A streamed, authenticated GET. */
export function streamFunction<Q>(spec: Load<Parameters<typeof authenticatedGet<Q>>[1]>, facts: Facts): FunctionEntry {
  return entry('stream', facts, (name) => onFirstRequest(() => authenticatedGet<Q>(name, spec(), authenticateApiKey)));
}

/** A public page. */
export function publicFunction(handler: Parameters<typeof publicGet>[1], facts: Facts): FunctionEntry {
  return entry('public', facts, (name) => publicGet(name, handler));
}

/** An Identity Platform blocking function; its name is its event. */
export function blockingFunction(handler: Load<Parameters<typeof blocking>[1]>, facts: Facts): FunctionEntry {
  return entry('blocking', facts, (name) => {
    const event = BLOCKING_EVENTS.find((e): e is BlockingEventType => e === name);
    if (!event) throw new Error(`${name} is declared blocking, but blocking functions are ${BLOCKING_EVENTS.join(', ')}`);
    return onFirstRequest(() => blocking(event, handler()));
  });
}

/** A scheduled function: its handler's time budget follows the declared timeout. */
export function scheduledFunction<O>(handler: Load<Parameters<typeof scheduled<O>>[1]>, facts: Facts & { readonly cron: string }): FunctionEntry {
  const schedule: Schedule = { cron: facts.cron, everyMinutes: everyMinutesOf(facts.cron) };
  const serve = (name: string): HttpFunction => onFirstRequest(() => scheduled(name, handler(), { timeoutSeconds: facts.sizing.timeoutSeconds }));
  return { ...entry('scheduled', facts, serve), schedule };
}
