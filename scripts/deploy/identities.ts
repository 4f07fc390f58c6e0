import type { DeployOptions } from './options';
import type { FunctionName } from './sizing';
import { gcloud, type CommandStep } from './steps';

/** What a group of functions may do, as the code needs it and no more. */
export interface RuntimeGroup {
  /** What the group's functions do (the account's display name says it too). */
  readonly purpose: string;
  /** Project roles of the group's account. */
  readonly roles: readonly string[];
  /** Reads the SMTP secret: the group's functions send mail themselves (not only enqueue it). */
  readonly smtp: boolean;
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
 * One runtime service account per group. The groups follow what each function's code reaches
 * (functions/test/deploy/plan-identities.test.ts checks it against the import graph): only those
 * that deliver mail read the SMTP secret, only those that disable users or revoke tokens hold Auth
 * admin, only the backups hold import/export. None holds `logging.logWriter`: the functions log to
 * stdout, which Cloud Run collects without it.
 */
export const GROUPS = {
  pages: { purpose: 'fixed public pages', roles: [], smtp: false },
  'public-reader': { purpose: 'anonymous reads of public notices', roles: [FIRESTORE_READ], smtp: false },
  'public-intake': { purpose: 'incident reports, signed in or not', roles: [FIRESTORE, AUTH_READ], smtp: true },
  customer: { purpose: 'signed-in customers', roles: [FIRESTORE, AUTH_READ], smtp: false },
  'customer-mail': { purpose: 'signed-in customers, with mail', roles: [FIRESTORE, AUTH_READ], smtp: true },
  staff: { purpose: 'staff consoles', roles: [FIRESTORE, AUTH_READ], smtp: false },
  'staff-mail': { purpose: 'staff consoles, with mail', roles: [FIRESTORE, AUTH_READ], smtp: true },
  'staff-access': { purpose: 'staff suspending, reinstating, terminating', roles: [FIRESTORE, AUTH_ADMIN], smtp: true },
  identity: { purpose: 'sign-up blocking function', roles: [FIRESTORE], smtp: false },
  'sign-in': { purpose: 'sign-in blocking function', roles: [FIRESTORE_READ], smtp: false },
  mail: { purpose: 'the mail outbox sweep', roles: [FIRESTORE], smtp: true },
  lifecycle: { purpose: 'terminations, breaches, contracts', roles: [FIRESTORE, AUTH_ADMIN], smtp: true },
  notices: { purpose: 'service-notice fan-out', roles: [FIRESTORE], smtp: false },
  backup: { purpose: 'nightly Firestore export', roles: [FIRESTORE, EXPORT], smtp: false },
  'backup-check': { purpose: 'following exports, alerting ops', roles: [FIRESTORE, EXPORT], smtp: true },
} as const satisfies Record<string, RuntimeGroup>;
export type GroupId = keyof typeof GROUPS;

/** Each function's group: the type requires a decision for every function in FUNCTIONS. */
export const GROUP_OF = {
  health: 'pages',
  securityTxt: 'pages',
  securityPolicy: 'pages',
  listServiceNotices: 'public-reader',
  reportIncident: 'public-intake',
  getAccount: 'customer',
  listActivity: 'customer',
  listApiKeys: 'customer',
  revokeApiKey: 'customer',
  getIncident: 'customer',
  exportContent: 'customer',
  createApiKey: 'customer-mail',
  requestRecords: 'customer-mail',
  requestTermination: 'customer-mail',
  cancelTermination: 'customer-mail',
  adminGetAccount: 'staff',
  adminSetContract: 'staff',
  adminRecordInvoice: 'staff',
  adminRecordPayment: 'staff',
  adminVoidInvoice: 'staff',
  adminAnnounceServiceChange: 'staff',
  adminWithdrawServiceNotice: 'staff',
  adminUpdateIncident: 'staff-mail',
  adminRecordBreach: 'staff-mail',
  adminResolveBreach: 'staff-mail',
  adminSuspendAccount: 'staff-access',
  adminReinstateAccount: 'staff-access',
  adminTerminateAccount: 'staff-access',
  beforeCreate: 'identity',
  beforeSignIn: 'sign-in',
  deliverMail: 'mail',
  processLifecycle: 'lifecycle',
  sendServiceNotices: 'notices',
  runBackup: 'backup',
  checkBackups: 'backup-check',
} as const satisfies Record<FunctionName, GroupId>;

/**
 * The group of `name`.
 * @throws Error for a function without a group: privileges are never guessed.
 */
export function groupOf(name: string): GroupId {
  const group = (GROUP_OF as Readonly<Record<string, GroupId | undefined>>)[name];
  if (!group) throw new Error(`${name} has no runtime group: add it to GROUP_OF in scripts/deploy/identities.ts`);
  return group;
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
      ...(group.smtp ? [smtpReaderStep(o, member)] : []),
    ];
  });
}
