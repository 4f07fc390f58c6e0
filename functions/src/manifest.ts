import { adminFindAccountSpec } from './accounts/admin-find-account';
import { adminGetAccountSpec } from './accounts/admin-get-account';
import { getAccountSpec } from './accounts/get-account';
import { listActivitySpec } from './activity/list-activity';
import { createApiKeySpec } from './apikeys/create-api-key';
import { listApiKeysSpec } from './apikeys/list-api-keys';
import { revokeApiKeySpec } from './apikeys/revoke-api-key';
import { adminBackupHealthSpec } from './backups/admin-backup-health';
import { checkBackupsSpec } from './backups/check-backups';
import { runBackupSpec } from './backups/run-backup';
import { adminRecordInvoiceSpec } from './billing/record-invoice';
import { adminRecordPaymentSpec } from './billing/record-payment';
import { adminVoidInvoiceSpec } from './billing/void-invoice';
import { adminRecordBreachSpec } from './breaches/admin-record-breach';
import { adminResolveBreachSpec } from './breaches/admin-resolve-breach';
import { exportContentSpec } from './content/export-content';
import { adminSetContractSpec } from './contracts/admin-set-contract';
import { beforeCreate } from './identity/before-create';
import { beforeSignIn } from './identity/before-sign-in';
import { adminGetIncidentSpec } from './incidents/admin-get-incident';
import { adminListIncidentsSpec } from './incidents/admin-list-incidents';
import { adminUpdateIncidentSpec } from './incidents/admin-update-incident';
import { checkIncidentsSpec } from './incidents/check-incidents';
import { getIncidentSpec } from './incidents/get-incident';
import { reportIncidentSpec } from './incidents/report-incident';
import { processLifecycleSpec } from './lifecycle/process-lifecycle';
import { adminListFailedMailSpec } from './mail/admin-list-failed-mail';
import { deliverMailSpec } from './mail/deliver-mail';
import { blockingFunction, callableFunction, publicFunction, scheduledFunction, streamFunction, type FunctionEntry } from './manifest-entry';
import { BACKUP, BLOCKING, CUSTOMER, PAGE, STAFF, SWEEP } from './manifest-sizing';
import { adminAnnounceServiceChangeSpec } from './notices/announce';
import { sendServiceNoticesSpec } from './notices/fanout';
import { listServiceNoticesSpec } from './notices/list';
import { adminWithdrawServiceNoticeSpec } from './notices/withdraw';
import { listMyNoticesSpec } from './inbox/list-my-notices';
import { markNoticesReadSpec } from './inbox/mark-notices-read';
import { confirmContactEmailSpec } from './preferences/confirm-contact-email';
import { setContactEmailSpec } from './preferences/set-contact-email';
import { setLocaleSpec } from './preferences/set-locale';
import { health } from './public/health';
import { securityPolicy } from './public/security-policy';
import { securityTxt } from './public/security-txt';
import { adminListRecordRequestsSpec } from './records/admin-list-record-requests';
import { exportRecordsSpec } from './records/export-records';
import { adminFulfilRecordRequestSpec } from './records/fulfil-record-request';
import { requestRecordsSpec } from './records/request-records';
import { adminReinstateAccountSpec } from './suspension/admin-reinstate-account';
import { adminSuspendAccountSpec } from './suspension/admin-suspend-account';
import { adminTerminateAccountSpec } from './termination/admin-terminate-account';
import { cancelTerminationSpec } from './termination/cancel-termination';
import { requestTerminationSpec } from './termination/request-termination';

// Only functions that deliver mail themselves read the SMTP secret; enqueued mail goes out through deliverMail.
const SMTP = ['SMTP_URL'] as const;

/**
 * Every function this codebase deploys (DESIGN §5), declared once: its kind (by the helper that
 * wraps its use case), schedule, sizing, runtime service-account group and secrets. index.ts
 * serves these, the local cron runs the schedules, the deploy plan (scripts/deploy) reads the
 * rest, and the README's function table is generated from it (a test keeps it in sync).
 */
export const MANIFEST = {
  health: publicFunction((deps) => health(deps.config), { sizing: PAGE, group: 'pages' }),
  securityTxt: publicFunction((deps) => securityTxt(deps.config, deps.clock), { sizing: PAGE, group: 'pages' }),
  securityPolicy: publicFunction(() => securityPolicy(), { sizing: PAGE, group: 'pages' }),
  getAccount: callableFunction(getAccountSpec, { sizing: CUSTOMER, group: 'customer' }),
  listActivity: callableFunction(listActivitySpec, { sizing: CUSTOMER, group: 'customer' }),
  createApiKey: callableFunction(createApiKeySpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP }),
  listApiKeys: callableFunction(listApiKeysSpec, { sizing: CUSTOMER, group: 'customer' }),
  revokeApiKey: callableFunction(revokeApiKeySpec, { sizing: CUSTOMER, group: 'customer' }),
  listMyNotices: callableFunction(listMyNoticesSpec, { sizing: CUSTOMER, group: 'customer' }),
  markNoticesRead: callableFunction(markNoticesReadSpec, { sizing: CUSTOMER, group: 'customer' }),
  setContactEmail: callableFunction(setContactEmailSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP }),
  confirmContactEmail: callableFunction(confirmContactEmailSpec, { sizing: CUSTOMER, group: 'customer' }),
  setLocale: callableFunction(setLocaleSpec, { sizing: CUSTOMER, group: 'customer' }),
  reportIncident: callableFunction(reportIncidentSpec, { group: 'public-intake', secrets: SMTP, sizing: { ...CUSTOMER, concurrency: 10, maxInstances: 10,
    why: 'anonymous; one transaction and two mails per report; throttled at the edge and per IP in the code' } }),
  getIncident: callableFunction(getIncidentSpec, { sizing: CUSTOMER, group: 'customer' }),
  adminUpdateIncident: callableFunction(adminUpdateIncidentSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP }),
  requestRecords: callableFunction(requestRecordsSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP }),
  adminListIncidents: callableFunction(adminListIncidentsSpec, { sizing: STAFF, group: 'staff' }),
  adminGetIncident: callableFunction(adminGetIncidentSpec, { sizing: STAFF, group: 'staff' }),
  adminListRecordRequests: callableFunction(adminListRecordRequestsSpec, { sizing: STAFF, group: 'staff-reader' }),
  adminFulfilRecordRequest: callableFunction(adminFulfilRecordRequestSpec, { group: 'staff-mail', secrets: SMTP, sizing: { ...STAFF, memory: '512Mi', timeoutSeconds: 300,
    why: 'builds a whole records bundle (an account\'s activity log, incidents, invoices) in 512 KiB chunks before it answers' } }),
  exportRecords: streamFunction(exportRecordsSpec, { group: 'customer', sizing: { ...CUSTOMER, timeoutSeconds: 300, concurrency: 10,
    why: 'streams a fulfilled records bundle chunk by chunk (512 KiB each), so memory stays small' } }),
  requestTermination: callableFunction(requestTerminationSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP }),
  cancelTermination: callableFunction(cancelTerminationSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP }),
  adminFindAccount: callableFunction(adminFindAccountSpec, { sizing: STAFF, group: 'staff-reader' }),
  adminGetAccount: callableFunction(adminGetAccountSpec, { sizing: STAFF, group: 'staff' }),
  adminTerminateAccount: callableFunction(adminTerminateAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP }),
  adminSuspendAccount: callableFunction(adminSuspendAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP }),
  adminReinstateAccount: callableFunction(adminReinstateAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP }),
  adminRecordBreach: callableFunction(adminRecordBreachSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP }),
  adminResolveBreach: callableFunction(adminResolveBreachSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP }),
  adminSetContract: callableFunction(adminSetContractSpec, { sizing: STAFF, group: 'staff' }),
  adminRecordInvoice: callableFunction(adminRecordInvoiceSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP }),
  adminRecordPayment: callableFunction(adminRecordPaymentSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP }),
  adminVoidInvoice: callableFunction(adminVoidInvoiceSpec, { sizing: STAFF, group: 'staff' }),
  exportContent: streamFunction(exportContentSpec, { group: 'customer', sizing: { memory: '1Gi', cpu: 1, timeoutSeconds: 540, concurrency: 2, maxInstances: 10,
    why: 'streams a whole account\'s content for up to 9 minutes: two at once per 1 GiB instance' } }),
  listServiceNotices: callableFunction(listServiceNoticesSpec, { group: 'public-reader', sizing: { ...CUSTOMER, concurrency: 40, maxInstances: 10,
    why: 'anonymous; answered from a per-instance cache of the notice list, so many at once are cheap' } }),
  adminAnnounceServiceChange: callableFunction(adminAnnounceServiceChangeSpec, { sizing: STAFF, group: 'staff' }),
  adminWithdrawServiceNotice: callableFunction(adminWithdrawServiceNoticeSpec, { sizing: STAFF, group: 'staff' }),
  adminListFailedMail: callableFunction(adminListFailedMailSpec, { sizing: STAFF, group: 'staff' }),
  adminBackupHealth: callableFunction(adminBackupHealthSpec, { sizing: STAFF, group: 'staff-reader' }),
  beforeCreate: blockingFunction(beforeCreate, { sizing: BLOCKING, group: 'identity' }),
  beforeSignIn: blockingFunction(beforeSignIn, { sizing: BLOCKING, group: 'sign-in' }),
  // Sweeps the mail outbox: due retries and messages whose sender's lease ran out (DESIGN §6).
  deliverMail: scheduledFunction(deliverMailSpec, { cron: '* * * * *', group: 'mail', secrets: SMTP,
    sizing: { ...SWEEP, why: 'every minute; message leases keep two runs from sending one mail, and 2 instances cap SMTP connections' } }),
  // Finalises terminations, escalates breaches, ends contracts, sends reminders (DESIGN §4).
  processLifecycle: scheduledFunction(processLifecycleSpec, { cron: '*/5 * * * *', group: 'lifecycle', secrets: SMTP,
    sizing: { ...SWEEP, timeoutSeconds: 540, why: 'every 5 minutes, up to 9 minutes of destruction work; account leases keep runs apart' } }),
  // Continues service-notice fan-outs that the announcing request did not finish (clause 2.1).
  sendServiceNotices: scheduledFunction(sendServiceNoticesSpec, { cron: '* * * * *', sizing: SWEEP, group: 'notices' }),
  // Exports the whole database, nightly at 02:00 Taipei (clause 5.4, DESIGN §7).
  runBackup: scheduledFunction(runBackupSpec, { cron: '0 2 * * *', sizing: BACKUP, group: 'backup' }),
  // Incidents unanswered 24 h after they arrived alert support; records requests unfulfilled 7 days alert ops (clauses 5.7, 5.8).
  checkIncidents: scheduledFunction(checkIncidentsSpec, { cron: '15 * * * *', group: 'mail', secrets: SMTP,
    sizing: { ...SWEEP, why: 'hourly; one transaction per alert marks it sent, so overlapping runs alert each item once' } }),
  // Follows exports to their end and alerts ops on a stale or failed backup (clause 5.4).
  checkBackups: scheduledFunction(checkBackupsSpec, { cron: '0 * * * *', sizing: BACKUP, group: 'backup-check', secrets: SMTP }),
} as const satisfies Record<string, FunctionEntry>;

/** A function's name (DESIGN §5). */
export type FunctionName = keyof typeof MANIFEST;

/** The declaration of every function, by name, for code that walks them all. */
export const ENTRIES: ReadonlyArray<readonly [FunctionName, FunctionEntry]> =
  Object.entries(MANIFEST) as Array<[FunctionName, FunctionEntry]>;
