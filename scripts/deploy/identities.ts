import { ENTRIES, type FunctionName } from '../../functions/src/manifest';
import type { GroupId, SecretKey } from '../../functions/src/manifest-entry';
import type { DeployOptions } from './options';
import { gcloud, type CommandStep } from './steps';

export type { GroupId };

/** What a group of functions may do, as the code needs it and no more. */
export interface RuntimeGroup {
  /** What the group's functions do (the account's display name says it too). */
  readonly purpose: string;
  /** Project roles of the group's account. */
  readonly roles: readonly string[];
}

const FIRESTORE = 'roles/datastore.user';
const FIRESTORE_READ = 'roles/datastore.viewer';
// verifyIdToken(token, true) looks the user up (the revocation check), and so does loadAccount.
const AUTH_READ = 'roles/firebaseauth.viewer';
// updateUser({disabled}) and revokeRefreshTokens: suspension and termination (clauses 3.2, 5.2).
const AUTH_ADMIN = 'roles/firebaseauth.admin';
// exportDocuments and the export operations (clause 5.4); the export itself writes as the Firestore service agent.
const EXPORT = 'roles/datastore.importExportAdmin';

/**
 * One runtime service account per group (each function's group and secrets are declared in
 * functions/src/manifest.ts). The groups follow what each function's code reaches
 * (functions/test/deploy/plan-identities.test.ts checks it against the import graph): only those
 * that deliver mail read the SMTP secret, only those that disable users or revoke tokens hold Auth
 * admin, only the backups hold import/export. None holds `logging.logWriter`: the functions log to
 * stdout, which Cloud Run collects without it.
 */
export const GROUPS = {
  pages: { purpose: 'fixed public pages', roles: [] },
  'public-reader': { purpose: 'anonymous reads of public notices', roles: [FIRESTORE_READ] },
  'public-intake': { purpose: 'incident reports, signed in or not', roles: [FIRESTORE, AUTH_READ] },
  customer: { purpose: 'signed-in customers', roles: [FIRESTORE, AUTH_READ] },
  'customer-mail': { purpose: 'signed-in customers, with mail', roles: [FIRESTORE, AUTH_READ] },
  staff: { purpose: 'staff consoles', roles: [FIRESTORE, AUTH_READ] },
  'staff-reader': { purpose: 'staff consoles, reading only', roles: [FIRESTORE_READ, AUTH_READ] },
  'staff-mail': { purpose: 'staff consoles, with mail', roles: [FIRESTORE, AUTH_READ] },
  'staff-access': { purpose: 'staff suspending, reinstating, terminating', roles: [FIRESTORE, AUTH_ADMIN] },
  identity: { purpose: 'sign-up blocking function', roles: [FIRESTORE] },
  'sign-in': { purpose: 'sign-in blocking function, recording each sign-in', roles: [FIRESTORE] },
  mail: { purpose: 'the mail outbox sweep', roles: [FIRESTORE] },
  lifecycle: { purpose: 'terminations, breaches, contracts', roles: [FIRESTORE, AUTH_ADMIN] },
  notices: { purpose: 'service-notice fan-out', roles: [FIRESTORE] },
  backup: { purpose: 'nightly Firestore export', roles: [FIRESTORE, EXPORT] },
  'backup-check': { purpose: 'following exports, alerting ops', roles: [FIRESTORE, EXPORT] },
} as const satisfies Record<GroupId, RuntimeGroup>;

/** Each function's group, as the manifest declares it. */
export const GROUP_OF: Readonly<Record<FunctionName, GroupId>> = Object.fromEntries(ENTRIES.map(([name, entry]) => [name, entry.group])) as Record<FunctionName, GroupId>;

/**
 * The group of `name`.
 * @throws Error for a function without a group: privileges are never guessed.
 */
export function groupOf(name: string): GroupId {
  const group = (GROUP_OF as Readonly<Record<string, GroupId | undefined>>)[name];
  if (!group) throw new Error(`${name} has no runtime group: declare it in functions/src/manifest.ts`);
  return group;
}

/**
 * The secrets a group's account may read: those its functions declare, which must be the same
 * for every function of the group (the account, not the function, holds the access).
 * @throws Error when two functions of one group declare different secrets.
 */
export function groupSecrets(group: GroupId, entries: ReadonlyArray<readonly [string, { group: GroupId; secrets: readonly SecretKey[] }]> = ENTRIES): readonly SecretKey[] {
  const members = entries.filter(([, entry]) => entry.group === group);
  const secrets = members[0]?.[1].secrets ?? [];
  for (const [name, entry] of members) {
    if ([...entry.secrets].sort().join() !== [...secrets].sort().join()) {
      throw new Error(`${name} reads ${entry.secrets.join(', ') || 'no secret'} but ${members[0]?.[0] ?? ''} of the same group ${group} reads ${secrets.join(', ') || 'none'}: one group, one set of secrets`);
    }
  }
  return secrets;
}

/** The runtime service account of a group (ids are 6–30 characters). */
export function accountOf(project: string, group: GroupId): string {
  return `orderpally-${group}@${project}.iam.gserviceaccount.com`;
}

/** The groups `names` use, in GROUPS order. */
export function groupsUsed(names: readonly string[]): GroupId[] {
  const used = new Set(names.map(groupOf));
  return (Object.keys(GROUPS) as GroupId[]).filter((g) => used.has(g));
}

/** A service account that exists once created: nothing about it to update. */
export function serviceAccountStep(o: DeployOptions, email: string, display: string): CommandStep {
  return {
    kind: 'command',
    part: 'functions',
    title: `service account ${email}`,
    read: gcloud(o.project, 'iam', 'service-accounts', 'describe', email, '--format=value(email)'),
    create: gcloud(o.project, 'iam', 'service-accounts', 'create', email.split('@')[0] ?? email, `--display-name=${display}`),
  };
}

/** One unconditional project role binding. */
export function projectRoleStep(o: DeployOptions, member: string, role: string): CommandStep {
  return {
    kind: 'command',
    part: 'functions',
    title: `${role} for ${member}`,
    read: gcloud(o.project, 'projects', 'get-iam-policy', o.project, '--flatten=bindings[].members',
      `--filter=bindings.role=${role} AND bindings.members=${member}`, '--format=value(bindings.role)'),
    create: ['gcloud', 'projects', 'add-iam-policy-binding', o.project, `--member=${member}`, `--role=${role}`, '--condition=None'],
  };
}

/** secretAccessor on the SMTP secret alone (not project-wide), for one mail-sending group. */
export function smtpReaderStep(o: DeployOptions, member: string): CommandStep {
  const role = 'roles/secretmanager.secretAccessor';
  return {
    kind: 'command',
    part: 'functions',
    title: `${o.smtpSecret} readable by ${member}`,
    read: gcloud(o.project, 'secrets', 'get-iam-policy', o.smtpSecret, '--flatten=bindings[].members',
      `--filter=bindings.role=${role} AND bindings.members=${member}`, '--format=value(bindings.role)'),
    create: gcloud(o.project, 'secrets', 'add-iam-policy-binding', o.smtpSecret, `--member=${member}`, `--role=${role}`),
  };
}

/** The accounts, roles and secret bindings of the groups `names` use. */
export function identitySteps(o: DeployOptions, names: readonly string[]): CommandStep[] {
  return groupsUsed(names).flatMap((id) => {
    const group: RuntimeGroup = GROUPS[id];
    const member = `serviceAccount:${accountOf(o.project, id)}`;
    return [
      serviceAccountStep(o, accountOf(o.project, id), `OrderPally ${group.purpose}`),
      ...group.roles.map((role) => projectRoleStep(o, member, role)),
      ...(groupSecrets(id).includes('SMTP_URL') ? [smtpReaderStep(o, member)] : []),
    ];
  });
}
