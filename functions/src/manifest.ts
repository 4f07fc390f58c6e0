import { blockingFunction, callableFunction, publicFunction, scheduledFunction, streamFunction, type FunctionEntry } from './manifest-entry';
import { BACKUP, BLOCKING, CUSTOMER, PAGE, resized, STAFF, SWEEP } from './manifest-sizing';
import { health as healthPage } from './public/health';
import { securityPolicy as securityPolicyPage } from './public/security-policy';
import { securityTxt as securityTxtPage } from './public/security-txt';

/* eslint-disable @typescript-eslint/no-require-imports --
   Each name below loads its use case on first use, not when this module loads: an instance runs
   one function (its target), so its cold start evaluates that function's code and no other's
   (the bundle keeps each module behind its require). The types are the modules' own. */
const adminFindAccountSpec = () => (require('./accounts/admin-find-account') as typeof import('./accounts/admin-find-account')).adminFindAccountSpec;
const adminGetAccountSpec = () => (require('./accounts/admin-get-account') as typeof import('./accounts/admin-get-account')).adminGetAccountSpec;
const getAccountSpec = () => (require('./accounts/get-account') as typeof import('./accounts/get-account')).getAccountSpec;
const listActivitySpec = () => (require('./activity/list-activity') as typeof import('./activity/list-activity')).listActivitySpec;
const createApiKeySpec = () => (require('./apikeys/create-api-key') as typeof import('./apikeys/create-api-key')).createApiKeySpec;
const listApiKeysSpec = () => (require('./apikeys/list-api-keys') as typeof import('./apikeys/list-api-keys')).listApiKeysSpec;
const revokeApiKeySpec = () => (require('./apikeys/revoke-api-key') as typeof import('./apikeys/revoke-api-key')).revokeApiKeySpec;
const adminBackupHealthSpec = () => (require('./backups/admin-backup-health') as typeof import('./backups/admin-backup-health')).adminBackupHealthSpec;
const checkBackupsSpec = () => (require('./backups/check-backups') as typeof import('./backups/check-backups')).checkBackupsSpec;
const runBackupSpec = () => (require('./backups/run-backup') as typeof import('./backups/run-backup')).runBackupSpec;
const adminRecordInvoiceSpec = () => (require('./billing/record-invoice') as typeof import('./billing/record-invoice')).adminRecordInvoiceSpec;
const adminRecordPaymentSpec = () => (require('./billing/record-payment') as typeof import('./billing/record-payment')).adminRecordPaymentSpec;
const adminVoidInvoiceSpec = () => (require('./billing/void-invoice') as typeof import('./billing/void-invoice')).adminVoidInvoiceSpec;
const adminRecordBreachSpec = () => (require('./breaches/admin-record-breach') as typeof import('./breaches/admin-record-breach')).adminRecordBreachSpec;
const adminResolveBreachSpec = () => (require('./breaches/admin-resolve-breach') as typeof import('./breaches/admin-resolve-breach')).adminResolveBreachSpec;
const exportContentSpec = () => (require('./content/export-content') as typeof import('./content/export-content')).exportContentSpec;
const adminSetContractSpec = () => (require('./contracts/admin-set-contract') as typeof import('./contracts/admin-set-contract')).adminSetContractSpec;
const beforeCreateHandler = () => (require('./identity/before-create') as typeof import('./identity/before-create')).beforeCreate;
const beforeSignInHandler = () => (require('./identity/before-sign-in') as typeof import('./identity/before-sign-in')).beforeSignIn;
const adminGetIncidentSpec = () => (require('./incidents/admin-get-incident') as typeof import('./incidents/admin-get-incident')).adminGetIncidentSpec;
const adminListIncidentsSpec = () => (require('./incidents/admin-list-incidents') as typeof import('./incidents/admin-list-incidents')).adminListIncidentsSpec;
const adminUpdateIncidentSpec = () => (require('./incidents/admin-update-incident') as typeof import('./incidents/admin-update-incident')).adminUpdateIncidentSpec;
const checkIncidentsSpec = () => (require('./incidents/check-incidents') as typeof import('./incidents/check-incidents')).checkIncidentsSpec;
const getIncidentSpec = () => (require('./incidents/get-incident') as typeof import('./incidents/get-incident')).getIncidentSpec;
const reportIncidentSpec = () => (require('./incidents/report-incident') as typeof import('./incidents/report-incident')).reportIncidentSpec;
const processLifecycleSpec = () => (require('./lifecycle/process-lifecycle') as typeof import('./lifecycle/process-lifecycle')).processLifecycleSpec;
const adminListFailedMailSpec = () => (require('./mail/admin-list-failed-mail') as typeof import('./mail/admin-list-failed-mail')).adminListFailedMailSpec;
const deliverMailSpec = () => (require('./mail/deliver-mail') as typeof import('./mail/deliver-mail')).deliverMailSpec;
const adminAnnounceServiceChangeSpec = () => (require('./notices/announce') as typeof import('./notices/announce')).adminAnnounceServiceChangeSpec;
const sendServiceNoticesSpec = () => (require('./notices/fanout') as typeof import('./notices/fanout')).sendServiceNoticesSpec;
const listServiceNoticesSpec = () => (require('./notices/list') as typeof import('./notices/list')).listServiceNoticesSpec;
const adminWithdrawServiceNoticeSpec = () => (require('./notices/withdraw') as typeof import('./notices/withdraw')).adminWithdrawServiceNoticeSpec;
const listMyNoticesSpec = () => (require('./inbox/list-my-notices') as typeof import('./inbox/list-my-notices')).listMyNoticesSpec;
const markNoticesReadSpec = () => (require('./inbox/mark-notices-read') as typeof import('./inbox/mark-notices-read')).markNoticesReadSpec;
const confirmContactEmailSpec = () => (require('./preferences/confirm-contact-email') as typeof import('./preferences/confirm-contact-email')).confirmContactEmailSpec;
const setContactEmailSpec = () => (require('./preferences/set-contact-email') as typeof import('./preferences/set-contact-email')).setContactEmailSpec;
const setLocaleSpec = () => (require('./preferences/set-locale') as typeof import('./preferences/set-locale')).setLocaleSpec;
const adminListRecordRequestsSpec = () => (require('./records/admin-list-record-requests') as typeof import('./records/admin-list-record-requests')).adminListRecordRequestsSpec;
const exportRecordsSpec = () => (require('./records/export-records') as typeof import('./records/export-records')).exportRecordsSpec;
const adminFulfilRecordRequestSpec = () => (require('./records/fulfil-record-request') as typeof import('./records/fulfil-record-request')).adminFulfilRecordRequestSpec;
const requestRecordsSpec = () => (require('./records/request-records') as typeof import('./records/request-records')).requestRecordsSpec;
const adminReinstateAccountSpec = () => (require('./suspension/admin-reinstate-account') as typeof import('./suspension/admin-reinstate-account')).adminReinstateAccountSpec;
const adminSuspendAccountSpec = () => (require('./suspension/admin-suspend-account') as typeof import('./suspension/admin-suspend-account')).adminSuspendAccountSpec;
const adminTerminateAccountSpec = () => (require('./termination/admin-terminate-account') as typeof import('./termination/admin-terminate-account')).adminTerminateAccountSpec;
const cancelTerminationSpec = () => (require('./termination/cancel-termination') as typeof import('./termination/cancel-termination')).cancelTerminationSpec;
const requestTerminationSpec = () => (require('./termination/request-termination') as typeof import('./termination/request-termination')).requestTerminationSpec;
/* eslint-enable @typescript-eslint/no-require-imports */

// Only functions that deliver mail themselves read the SMTP secret; enqueued mail goes out through deliverMail.
const SMTP = ['SMTP_URL'] as const;

/* Each function is a declaration of its own, marked pure: the deploy bundle of one function
   (scripts/bundle-functions.mjs) imports its declaration alone, and the bundler drops every other
   one, with the use case it would load, so a cold start compiles only that function's code. */
export const health = /* @__PURE__ */ publicFunction((deps) => healthPage(deps.config), { sizing: PAGE, group: 'pages' });
export const securityTxt = /* @__PURE__ */ publicFunction((deps) => securityTxtPage(deps.config, deps.clock), { sizing: PAGE, group: 'pages' });
export const securityPolicy = /* @__PURE__ */ publicFunction(() => securityPolicyPage(), { sizing: PAGE, group: 'pages' });
export const getAccount = /* @__PURE__ */ callableFunction(getAccountSpec, { sizing: CUSTOMER, group: 'customer' });
export const listActivity = /* @__PURE__ */ callableFunction(listActivitySpec, { sizing: CUSTOMER, group: 'customer' });
export const createApiKey = /* @__PURE__ */ callableFunction(createApiKeySpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP });
export const listApiKeys = /* @__PURE__ */ callableFunction(listApiKeysSpec, { sizing: CUSTOMER, group: 'customer' });
export const revokeApiKey = /* @__PURE__ */ callableFunction(revokeApiKeySpec, { sizing: CUSTOMER, group: 'customer' });
export const listMyNotices = /* @__PURE__ */ callableFunction(listMyNoticesSpec, { sizing: CUSTOMER, group: 'customer' });
export const markNoticesRead = /* @__PURE__ */ callableFunction(markNoticesReadSpec, { sizing: CUSTOMER, group: 'customer' });
export const setContactEmail = /* @__PURE__ */ callableFunction(setContactEmailSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP });
export const confirmContactEmail = /* @__PURE__ */ callableFunction(confirmContactEmailSpec, { sizing: CUSTOMER, group: 'customer' });
export const setLocale = /* @__PURE__ */ callableFunction(setLocaleSpec, { sizing: CUSTOMER, group: 'customer' });
export const reportIncident = /* @__PURE__ */ callableFunction(reportIncidentSpec, { group: 'public-intake', secrets: SMTP, sizing: /* @__PURE__ */ resized(CUSTOMER, { concurrency: 10, maxInstances: 10,
  why: 'anonymous; one transaction and two mails per report; throttled at the edge and per IP in the code' }) });
export const getIncident = /* @__PURE__ */ callableFunction(getIncidentSpec, { sizing: CUSTOMER, group: 'customer' });
export const adminUpdateIncident = /* @__PURE__ */ callableFunction(adminUpdateIncidentSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP });
export const requestRecords = /* @__PURE__ */ callableFunction(requestRecordsSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP });
export const adminListIncidents = /* @__PURE__ */ callableFunction(adminListIncidentsSpec, { sizing: STAFF, group: 'staff' });
export const adminGetIncident = /* @__PURE__ */ callableFunction(adminGetIncidentSpec, { sizing: STAFF, group: 'staff' });
export const adminListRecordRequests = /* @__PURE__ */ callableFunction(adminListRecordRequestsSpec, { sizing: STAFF, group: 'staff-reader' });
export const adminFulfilRecordRequest = /* @__PURE__ */ callableFunction(adminFulfilRecordRequestSpec, { group: 'staff-mail', secrets: SMTP, sizing: /* @__PURE__ */ resized(STAFF, { memory: '512Mi', timeoutSeconds: 300,
  why: 'builds a whole records bundle (an account\'s activity log, incidents, invoices) in 512 KiB chunks before it answers' }) });
export const exportRecords = /* @__PURE__ */ streamFunction(exportRecordsSpec, { group: 'customer', sizing: /* @__PURE__ */ resized(CUSTOMER, { timeoutSeconds: 300, concurrency: 10,
  why: 'streams a fulfilled records bundle chunk by chunk (512 KiB each), so memory stays small' }) });
export const requestTermination = /* @__PURE__ */ callableFunction(requestTerminationSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP });
export const cancelTermination = /* @__PURE__ */ callableFunction(cancelTerminationSpec, { sizing: CUSTOMER, group: 'customer-mail', secrets: SMTP });
export const adminFindAccount = /* @__PURE__ */ callableFunction(adminFindAccountSpec, { sizing: STAFF, group: 'staff-reader' });
export const adminGetAccount = /* @__PURE__ */ callableFunction(adminGetAccountSpec, { sizing: STAFF, group: 'staff' });
export const adminTerminateAccount = /* @__PURE__ */ callableFunction(adminTerminateAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP });
export const adminSuspendAccount = /* @__PURE__ */ callableFunction(adminSuspendAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP });
export const adminReinstateAccount = /* @__PURE__ */ callableFunction(adminReinstateAccountSpec, { sizing: STAFF, group: 'staff-access', secrets: SMTP });
export const adminRecordBreach = /* @__PURE__ */ callableFunction(adminRecordBreachSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP });
export const adminResolveBreach = /* @__PURE__ */ callableFunction(adminResolveBreachSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP });
export const adminSetContract = /* @__PURE__ */ callableFunction(adminSetContractSpec, { sizing: STAFF, group: 'staff' });
export const adminRecordInvoice = /* @__PURE__ */ callableFunction(adminRecordInvoiceSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP });
export const adminRecordPayment = /* @__PURE__ */ callableFunction(adminRecordPaymentSpec, { sizing: STAFF, group: 'staff-mail', secrets: SMTP });
export const adminVoidInvoice = /* @__PURE__ */ callableFunction(adminVoidInvoiceSpec, { sizing: STAFF, group: 'staff' });
export const exportContent = /* @__PURE__ */ streamFunction(exportContentSpec, { group: 'customer', sizing: { memory: '1Gi', cpu: 1, timeoutSeconds: 540, concurrency: 2, maxInstances: 10,
  why: 'streams a whole account\'s content for up to 9 minutes: two at once per 1 GiB instance' } });
export const listServiceNotices = /* @__PURE__ */ callableFunction(listServiceNoticesSpec, { group: 'public-reader', sizing: /* @__PURE__ */ resized(CUSTOMER, { concurrency: 40, maxInstances: 10,
  why: 'anonymous; answered from a per-instance cache of the notice list, so many at once are cheap' }) });
export const adminAnnounceServiceChange = /* @__PURE__ */ callableFunction(adminAnnounceServiceChangeSpec, { sizing: STAFF, group: 'staff' });
export const adminWithdrawServiceNotice = /* @__PURE__ */ callableFunction(adminWithdrawServiceNoticeSpec, { sizing: STAFF, group: 'staff' });
export const adminListFailedMail = /* @__PURE__ */ callableFunction(adminListFailedMailSpec, { sizing: STAFF, group: 'staff' });
export const adminBackupHealth = /* @__PURE__ */ callableFunction(adminBackupHealthSpec, { sizing: STAFF, group: 'staff-reader' });
export const beforeCreate = /* @__PURE__ */ blockingFunction(beforeCreateHandler, { sizing: BLOCKING, group: 'identity' });
export const beforeSignIn = /* @__PURE__ */ blockingFunction(beforeSignInHandler, { sizing: BLOCKING, group: 'sign-in' });
// Sweeps the mail outbox: due retries and messages whose sender's lease ran out (DESIGN §6).
export const deliverMail = /* @__PURE__ */ scheduledFunction(deliverMailSpec, { cron: '* * * * *', group: 'mail', secrets: SMTP,
  sizing: /* @__PURE__ */ resized(SWEEP, { why: 'every minute; message leases keep two runs from sending one mail, and 2 instances cap SMTP connections' }) });
// Finalises terminations, escalates breaches, ends contracts, writes reminders (DESIGN §4); deliverMail sends its notices.
export const processLifecycle = /* @__PURE__ */ scheduledFunction(processLifecycleSpec, { cron: '*/5 * * * *', group: 'lifecycle',
  sizing: /* @__PURE__ */ resized(SWEEP, { timeoutSeconds: 540, why: 'every 5 minutes, up to 9 minutes of destruction work; account leases keep runs apart' }) });
// Continues service-notice fan-outs that the announcing request did not finish (clause 2.1).
export const sendServiceNotices = /* @__PURE__ */ scheduledFunction(sendServiceNoticesSpec, { cron: '* * * * *', sizing: SWEEP, group: 'notices' });
// Exports the whole database, nightly at 02:00 Taipei (clause 5.4, DESIGN §7).
export const runBackup = /* @__PURE__ */ scheduledFunction(runBackupSpec, { cron: '0 2 * * *', sizing: BACKUP, group: 'backup' });
// Incidents unanswered 24 h after they arrived alert support; records requests unfulfilled 7 days alert ops (clauses 5.7, 5.8).
export const checkIncidents = /* @__PURE__ */ scheduledFunction(checkIncidentsSpec, { cron: '15 * * * *', group: 'mail', secrets: SMTP,
  sizing: /* @__PURE__ */ resized(SWEEP, { why: 'hourly; one transaction per alert marks it sent, so overlapping runs alert each item once' }) });
// Follows exports to their end and alerts ops on a stale or failed backup (clause 5.4).
export const checkBackups = /* @__PURE__ */ scheduledFunction(checkBackupsSpec, { cron: '0 * * * *', sizing: BACKUP, group: 'backup-check', secrets: SMTP });

/**
 * Every function this codebase deploys (DESIGN §5), each declared once above: its kind (by the
 * helper that wraps its use case), schedule, sizing, runtime service-account group and secrets.
 * index.ts serves these, the local cron runs the schedules, the deploy plan (scripts/deploy) reads
 * the rest, and the README's function table is generated from it (a test keeps it in sync). Every
 * other export of this module is one of these, under its name (a test checks both ways).
 */
export const MANIFEST = {
  health, securityTxt, securityPolicy, getAccount, listActivity, createApiKey, listApiKeys, revokeApiKey,
  listMyNotices, markNoticesRead, setContactEmail, confirmContactEmail, setLocale, reportIncident, getIncident,
  adminUpdateIncident, requestRecords, adminListIncidents, adminGetIncident, adminListRecordRequests,
  adminFulfilRecordRequest, exportRecords, requestTermination, cancelTermination, adminFindAccount, adminGetAccount,
  adminTerminateAccount, adminSuspendAccount, adminReinstateAccount, adminRecordBreach, adminResolveBreach,
  adminSetContract, adminRecordInvoice, adminRecordPayment, adminVoidInvoice, exportContent, listServiceNotices,
  adminAnnounceServiceChange, adminWithdrawServiceNotice, adminListFailedMail, adminBackupHealth, beforeCreate,
  beforeSignIn, deliverMail, processLifecycle, sendServiceNotices, runBackup, checkIncidents, checkBackups,
} as const satisfies Record<string, FunctionEntry>;

/** A function's name (DESIGN §5). */
export type FunctionName = keyof typeof MANIFEST;

/** The declaration of every function, by name, for code that walks them all. */
export const ENTRIES: ReadonlyArray<readonly [FunctionName, FunctionEntry]> =
  /* @__PURE__ */ Object.entries(MANIFEST) as Array<[FunctionName, FunctionEntry]>;
