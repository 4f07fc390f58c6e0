import { FUNCTIONS } from '../../src/index';
import { GROUPS, GROUP_OF } from '../../../scripts/deploy/identities';
import { functionMatrix } from '../../../scripts/deploy/matrix';
import { buildPlan } from '../../../scripts/deploy/plan';
import { renderPlan } from '../../../scripts/deploy/render';
import { codeNeeds } from './code-needs';
import { commands, deploys, sampleOptions } from './sample';

const account = (group: string): string => `orderpally-${group}@orderpally-demo.iam.gserviceaccount.com`;

/** The least-privilege matrix, written out: every group, its roles, whether it reads the SMTP secret, its functions. */
const EXPECTED: Record<string, { roles: string[]; smtp: boolean; functions: string[] }> = {
  pages: { roles: [], smtp: false, functions: ['health', 'securityTxt', 'securityPolicy'] },
  'public-reader': { roles: ['datastore.viewer'], smtp: false, functions: ['listServiceNotices'] },
  'public-intake': { roles: ['datastore.user', 'firebaseauth.viewer'], smtp: true, functions: ['reportIncident'] },
  customer: { roles: ['datastore.user', 'firebaseauth.viewer'], smtp: false,
    functions: ['getAccount', 'listActivity', 'listApiKeys', 'revokeApiKey', 'getIncident', 'exportContent', 'exportRecords', 'listMyNotices', 'markNoticesRead', 'confirmContactEmail', 'setLocale'] },
  'customer-mail': { roles: ['datastore.user', 'firebaseauth.viewer'], smtp: true,
    functions: ['createApiKey', 'requestRecords', 'requestTermination', 'cancelTermination', 'setContactEmail'] },
  staff: { roles: ['datastore.user', 'firebaseauth.viewer'], smtp: false,
    functions: ['adminGetAccount', 'adminListIncidents', 'adminSetContract', 'adminVoidInvoice',
      'adminAnnounceServiceChange', 'adminWithdrawServiceNotice', 'adminGetIncident', 'adminListFailedMail'] },
  'staff-reader': { roles: ['datastore.viewer', 'firebaseauth.viewer'], smtp: false,
    functions: ['adminFindAccount', 'adminListRecordRequests', 'adminBackupHealth'] },
  'staff-mail': { roles: ['datastore.user', 'firebaseauth.viewer'], smtp: true, functions: ['adminUpdateIncident', 'adminRecordBreach', 'adminResolveBreach',
    'adminRecordInvoice', 'adminRecordPayment', 'adminFulfilRecordRequest'] },
  'staff-access': { roles: ['datastore.user', 'firebaseauth.admin'], smtp: true, functions: ['adminSuspendAccount', 'adminReinstateAccount', 'adminTerminateAccount'] },
  identity: { roles: ['datastore.user'], smtp: false, functions: ['beforeCreate'] },
  'sign-in': { roles: ['datastore.user'], smtp: false, functions: ['beforeSignIn'] },
  mail: { roles: ['datastore.user'], smtp: true, functions: ['deliverMail', 'checkIncidents'] },
  lifecycle: { roles: ['datastore.user', 'firebaseauth.admin'], smtp: false, functions: ['processLifecycle'] },
  notices: { roles: ['datastore.user'], smtp: false, functions: ['sendServiceNotices'] },
  backup: { roles: ['datastore.importExportAdmin', 'datastore.user'], smtp: false, functions: ['runBackup'] },
  'backup-check': { roles: ['datastore.importExportAdmin', 'datastore.user'], smtp: true, functions: ['checkBackups'] },
};

describe('deploy plan: one runtime service account per function group (least privilege)', () => {
  const steps = buildPlan(sampleOptions());
  const matrix = functionMatrix(steps);
  const secretGrants = commands(steps).filter((c) => c.create.includes('secrets') && c.create.includes('add-iam-policy-binding'));

  it('when the plan is built, then each function runs as its group\'s account with exactly the roles and secret of the matrix', () => {
    const actual: typeof EXPECTED = {};
    for (const row of matrix) {
      const group = /^orderpally-([a-z-]+)@/.exec(row.account)?.[1] ?? row.account;
      const smtpReader = secretGrants.some((g) => g.create.includes(`--member=serviceAccount:${row.account}`));
      actual[group] ??= { roles: [...row.roles], smtp: smtpReader, functions: [] };
      actual[group]?.functions.push(row.name);
      expect([row.name, row.roles, row.secrets.length > 0]).toEqual([row.name, actual[group]?.roles, actual[group]?.smtp]);
    }
    for (const group of Object.values(actual)) group.functions.sort();
    expect(actual).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([g, e]) => [g, { ...e, functions: [...e.functions].sort() }])));
    expect(matrix.map((r) => r.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  it('when each function\'s code is read, then its account holds what that code needs and nothing more', () => {
    const needs = codeNeeds();
    expect([...needs.keys()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const row of matrix) {
      const need = needs.get(row.name);
      if (!need) throw new Error(`no code needs for ${row.name}`);
      const roles = new Set(row.roles);
      // One line per function, so a failure names the function, what it holds and where the need is.
      expect({ fn: row.name, where: need.where, holds: {
        smtp: row.secrets.some((s) => s.startsWith('SMTP_URL=')),
        authAdmin: roles.has('firebaseauth.admin'),
        authRead: roles.has('firebaseauth.viewer') || roles.has('firebaseauth.admin'),
        authViewerOnly: roles.has('firebaseauth.viewer'),
        export: roles.has('datastore.importExportAdmin'),
        dbWrites: roles.has('datastore.user'),
        db: roles.has('datastore.user') || roles.has('datastore.viewer'),
      } }).toEqual({ fn: row.name, where: need.where, holds: {
        smtp: need.smtp, authAdmin: need.authAdmin, authRead: need.authRead || need.authAdmin, authViewerOnly: need.authRead && !need.authAdmin,
        export: need.export, dbWrites: need.dbWrites, db: need.db,
      } });
      expect([row.name, row.roles.filter((r) => !['datastore.user', 'datastore.viewer', 'firebaseauth.viewer', 'firebaseauth.admin', 'datastore.importExportAdmin'].includes(r))])
        .toEqual([row.name, []]);
    }
  });

  it('when a function sends no mail, then it gets no SMTP secret and its account cannot read it; mail senders read that one secret only', () => {
    for (const { name, argv } of deploys(steps)) {
      const smtp = EXPECTED[GROUP_OF[name as keyof typeof GROUP_OF]]?.smtp;
      expect([name, argv.filter((a) => /secrets/.test(a))]).toEqual([name, smtp ? ['--set-secrets=SMTP_URL=orderpally-smtp-url:latest'] : ['--clear-secrets']]);
    }
    const readers = secretGrants.map((g) => g.create.find((a) => a.startsWith('--member='))).sort();
    expect(readers).toEqual(Object.entries(EXPECTED).filter(([, e]) => e.smtp).map(([g]) => `--member=serviceAccount:${account(g)}`).sort());
    // Bound on the secret itself, never project-wide.
    expect(secretGrants.map((g) => g.create.slice(0, 4).join(' '))).toEqual(secretGrants.map(() => 'gcloud secrets add-iam-policy-binding orderpally-smtp-url'));
    expect(commands(steps).filter((c) => c.create.includes('projects') && c.create.some((a) => a === '--role=roles/secretmanager.secretAccessor'))).toEqual([]);
  });

  it('when the privileged roles are listed, then only the backups export, only suspension/termination touch Auth admin, and public functions hold the least', () => {
    const holders = (role: string): string[] => matrix.filter((r) => r.roles.includes(role)).map((r) => r.name).sort();
    expect(holders('datastore.importExportAdmin')).toEqual(['checkBackups', 'runBackup']);
    expect(holders('firebaseauth.admin')).toEqual(['adminReinstateAccount', 'adminSuspendAccount', 'adminTerminateAccount', 'processLifecycle']);
    const row = (name: string) => matrix.find((r) => r.name === name);
    for (const name of ['health', 'securityTxt', 'securityPolicy']) expect([name, row(name)?.roles, row(name)?.secrets]).toEqual([name, [], []]);
    expect(row('listServiceNotices')?.roles).toEqual(['datastore.viewer']);
    // reportIncident delivers its acknowledgement at once (mail/deliver-now.ts), so it holds the secret, but no admin role.
    expect(row('reportIncident')).toMatchObject({ roles: ['datastore.user', 'firebaseauth.viewer'], secrets: ['SMTP_URL=orderpally-smtp-url:latest'] });
    expect(JSON.stringify(steps)).not.toMatch(/orderpally-functions@|roles\/logging\.logWriter|roles\/editor|roles\/owner/);
  });

  it('when the groups are named, then each becomes a valid service account id and the scheduler keeps its own', () => {
    for (const group of Object.keys(GROUPS)) expect(`orderpally-${group}`).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    const created = commands(steps).filter((c) => c.create.join(' ').includes('iam service-accounts create')).map((c) => c.create[4]);
    expect(created.sort()).toEqual([...Object.keys(EXPECTED).map((g) => `orderpally-${g}`), 'orderpally-scheduler'].sort());
  });

  it('when the plan is printed, then it opens with the matrix: function, account, roles, secrets, invoker, ingress, sizing', () => {
    const lines = renderPlan(steps).split('\n');
    const end = lines.indexOf('');
    expect(lines[0]).toBe('Functions: runtime service account, its project roles and secrets, invoker, ingress, sizing:');
    const rows = lines.slice(2, end).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    expect(rows.find((r) => r[0] === 'beforeSignIn')).toEqual(['beforeSignIn', 'blocking', 'orderpally-sign-in', 'datastore.user', '-', 'allUsers', 'all', '50', '1', '1', '512Mi', '10s']);
    expect(rows.find((r) => r[0] === 'checkBackups')).toEqual(['checkBackups', 'scheduled', 'orderpally-backup-check', 'datastore.importExportAdmin,datastore.user',
      'SMTP_URL', 'orderpally-scheduler', 'internal-only', '1', '1', '1', '256Mi', '300s']);
    expect(lines[end + 1]).toMatch(/^\[01\] logging: /);
  });

  it('when a function has no group or no sizing, then the plan refuses to build rather than guess its privileges', () => {
    expect(() => buildPlan(sampleOptions('--only', 'functions'), [{ name: 'mystery', kind: 'callable' }])).toThrow(/mystery has no (runtime group|sizing)/);
  });
});
