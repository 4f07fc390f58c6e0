import * as functions from '@google-cloud/functions-framework';
import { getAccountSpec } from './accounts/get-account';
import { listActivitySpec } from './activity/list-activity';
import { createApiKeySpec } from './apikeys/create-api-key';
import { listApiKeysSpec } from './apikeys/list-api-keys';
import { revokeApiKeySpec } from './apikeys/revoke-api-key';
import { blocking } from './http/blocking';
import { callable } from './http/callable';
import { publicGet } from './http/plain';
import { beforeCreate } from './identity/before-create';
import { beforeSignIn } from './identity/before-sign-in';
import { health } from './public/health';
import { securityTxt } from './public/security-txt';

/** Every function this codebase deploys, by its contract name (DESIGN §5). */
export const FUNCTIONS = {
  health: publicGet('health', (deps) => health(deps.config)),
  securityTxt: publicGet('securityTxt', (deps) => securityTxt(deps.config, deps.clock)),
  getAccount: callable('getAccount', getAccountSpec),
  listActivity: callable('listActivity', listActivitySpec),
  createApiKey: callable('createApiKey', createApiKeySpec),
  listApiKeys: callable('listApiKeys', listApiKeysSpec),
  revokeApiKey: callable('revokeApiKey', revokeApiKeySpec),
  beforeCreate: blocking('beforeCreate', beforeCreate),
  beforeSignIn: blocking('beforeSignIn', beforeSignIn),
} satisfies Record<string, functions.HttpFunction>;

for (const [name, handler] of Object.entries(FUNCTIONS)) functions.http(name, handler);
