import * as functions from '@google-cloud/functions-framework';
import { getAccountSpec } from './accounts/get-account';
import { listActivitySpec } from './activity/list-activity';
import { createApiKeySpec } from './apikeys/create-api-key';
import { listApiKeysSpec } from './apikeys/list-api-keys';
import { revokeApiKeySpec } from './apikeys/revoke-api-key';
import { blocking } from './http/blocking';
import { callable } from './http/callable';
import { publicGet } from './http/plain';
import { scheduled } from './http/scheduled';
import { beforeCreate } from './identity/before-create';
import { beforeSignIn } from './identity/before-sign-in';
import { adminUpdateIncidentSpec } from './incidents/admin-update-incident';
import { getIncidentSpec } from './incidents/get-incident';
import { reportIncidentSpec } from './incidents/report-incident';
import { deliverMailSpec } from './mail/deliver-mail';
import { health } from './public/health';
import { securityPolicy } from './public/security-policy';
import { securityTxt } from './public/security-txt';
import { requestRecordsSpec } from './records/request-records';

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
  beforeCreate: blocking('beforeCreate', beforeCreate),
  beforeSignIn: blocking('beforeSignIn', beforeSignIn),
  deliverMail: scheduled('deliverMail', deliverMailSpec),
} satisfies Record<string, functions.HttpFunction>;

for (const [name, handler] of Object.entries(FUNCTIONS)) functions.http(name, handler);
