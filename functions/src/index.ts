import * as functions from '@google-cloud/functions-framework';
import { adminGetAccountSpec } from './accounts/admin-get-account';
import { getAccountSpec } from './accounts/get-account';
import { listActivitySpec } from './activity/list-activity';
import { createApiKeySpec } from './apikeys/create-api-key';
import { listApiKeysSpec } from './apikeys/list-api-keys';
import { revokeApiKeySpec } from './apikeys/revoke-api-key';
import { adminRecordInvoiceSpec } from './billing/record-invoice';
import { adminRecordPaymentSpec, adminVoidInvoiceSpec } from './billing/record-payment';
import { exportContentSpec } from './content/export-content';
import { checkBackupsSpec } from './backups/check-backups';
import { runBackupSpec } from './backups/run-backup';
import { adminRecordBreachSpec } from './breaches/admin-record-breach';
import { adminResolveBreachSpec } from './breaches/admin-resolve-breach';
import { adminSetContractSpec } from './contracts/admin-set-contract';
import { authenticatedGet } from './http/authenticated-get';
import { blocking } from './http/blocking';
import { callable } from './http/callable';
import { publicGet } from './http/plain';
import { scheduled } from './http/scheduled';
import { beforeCreate } from './identity/before-create';
import { beforeSignIn } from './identity/before-sign-in';
import { adminUpdateIncidentSpec } from './incidents/admin-update-incident';
import { getIncidentSpec } from './incidents/get-incident';
import { reportIncidentSpec } from './incidents/report-incident';
import { processLifecycleSpec } from './lifecycle/process-lifecycle';
import { deliverMailSpec } from './mail/deliver-mail';
import { adminAnnounceServiceChangeSpec } from './notices/announce';
import { sendServiceNoticesSpec } from './notices/fanout';
import { listServiceNoticesSpec } from './notices/list';
import { adminWithdrawServiceNoticeSpec } from './notices/withdraw';
import { health } from './public/health';
import { securityPolicy } from './public/security-policy';
import { securityTxt } from './public/security-txt';
import { requestRecordsSpec } from './records/request-records';
import { adminReinstateAccountSpec } from './suspension/admin-reinstate-account';
import { adminSuspendAccountSpec } from './suspension/admin-suspend-account';
import { adminTerminateAccountSpec } from './termination/admin-terminate-account';
import { cancelTerminationSpec } from './termination/cancel-termination';
import { requestTerminationSpec } from './termination/request-termination';

/** Every function this codebase deploys, by its contract name (DESIGN §5). */
export const FUNCTIONS = {
  health: publicGet('health', (deps) => health(deps.config)),
  securityTxt: publicGet('securityTxt', (deps) => securityTxt(deps.config, deps.clock)),
  securityPolicy: publicGet('securityPolicy', () => securityPolicy()),
  getAccount: callable('getAccount', getAccountSpec),
  listActivity: callable('listActivity', listActivitySpec),
  createApiKey: callable('createApiKey', createApiKeySpec),
  listApiKeys: callable('listApiKeys', listApiKeysSpec),
  revokeApiKey: callable('revokeApiKey', revokeApiKeySpec),
  reportIncident: callable('reportIncident', reportIncidentSpec),
  getIncident: callable('getIncident', getIncidentSpec),
  adminUpdateIncident: callable('adminUpdateIncident', adminUpdateIncidentSpec),
  requestRecords: callable('requestRecords', requestRecordsSpec),
  requestTermination: callable('requestTermination', requestTerminationSpec),
  cancelTermination: callable('cancelTermination', cancelTerminationSpec),
  adminGetAccount: callable('adminGetAccount', adminGetAccountSpec),
  adminTerminateAccount: callable('adminTerminateAccount', adminTerminateAccountSpec),
  adminSuspendAccount: callable('adminSuspendAccount', adminSuspendAccountSpec),
  adminReinstateAccount: callable('adminReinstateAccount', adminReinstateAccountSpec),
  adminRecordBreach: callable('adminRecordBreach', adminRecordBreachSpec),
  adminResolveBreach: callable('adminResolveBreach', adminResolveBreachSpec),
  adminSetContract: callable('adminSetContract', adminSetContractSpec),
  adminRecordInvoice: callable('adminRecordInvoice', adminRecordInvoiceSpec),
  adminRecordPayment: callable('adminRecordPayment', adminRecordPaymentSpec),
  adminVoidInvoice: callable('adminVoidInvoice', adminVoidInvoiceSpec),
  exportContent: authenticatedGet('exportContent', exportContentSpec),
  listServiceNotices: callable('listServiceNotices', listServiceNoticesSpec),
  adminAnnounceServiceChange: callable('adminAnnounceServiceChange', adminAnnounceServiceChangeSpec),
  adminWithdrawServiceNotice: callable('adminWithdrawServiceNotice', adminWithdrawServiceNoticeSpec),
  beforeCreate: blocking('beforeCreate', beforeCreate),
  beforeSignIn: blocking('beforeSignIn', beforeSignIn),
  deliverMail: scheduled('deliverMail', deliverMailSpec),
  processLifecycle: scheduled('processLifecycle', processLifecycleSpec),
  sendServiceNotices: scheduled('sendServiceNotices', sendServiceNoticesSpec),
  runBackup: scheduled('runBackup', runBackupSpec),
  checkBackups: scheduled('checkBackups', checkBackupsSpec),
} satisfies Record<string, functions.HttpFunction>;

for (const [name, handler] of Object.entries(FUNCTIONS)) functions.http(name, handler);
