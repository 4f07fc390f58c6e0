import type { DeployOptions } from './options';
import { enableApis, gcloud, placeholder, REGION, type Step } from './steps';

const ADMIN = 'https://identitytoolkit.googleapis.com/admin/v2';

/** Built-in identity providers other than Facebook: each must be off (clause 5.1). */
export const DISABLED_PROVIDERS = ['google.com', 'apple.com', 'github.com', 'twitter.com', 'microsoft.com', 'yahoo.com',
  'linkedin.com', 'playgames.google.com', 'gc.apple.com'] as const;

/** The blocking functions registered with Identity Platform. */
const BLOCKING = { beforeCreate: 'BEFORE_CREATE_URI', beforeSignIn: 'BEFORE_SIGN_IN_URI' } as const;

/**
 * The `identity` part (clause 5.1): only email+password and Facebook sign-in; anonymous, phone and every other
 * provider off; beforeCreate/beforeSignIn registered under their run.app URIs, which is the
 * audience their tokens carry (http/blocking.ts).
 */
export function identityPart(o: DeployOptions): Step[] {
  const project = `${ADMIN}/projects/${o.project}`;
  const configMask = ['signIn.email.enabled', 'signIn.email.passwordRequired', 'signIn.anonymous.enabled', 'signIn.phoneNumber.enabled',
    'blockingFunctions.triggers'].join(',');
  const facebook = `${project}/defaultSupportedIdpConfigs/facebook.com`;
  return [
    enableApis('identity', o.project, ['identitytoolkit.googleapis.com']),
    ...Object.entries(BLOCKING).map(([name, variable]): Step => ({
      kind: 'capture',
      part: 'identity',
      title: `run.app URI of ${name}`,
      name: variable,
      argv: gcloud(o.project, 'functions', 'describe', name, '--gen2', `--region=${REGION}`, '--format=value(serviceConfig.uri)'),
    })),
    {
      kind: 'capture',
      part: 'identity',
      title: `Facebook app secret from Secret Manager (${o.facebookSecret})`,
      name: 'FACEBOOK_APP_SECRET',
      argv: gcloud(o.project, 'secrets', 'versions', 'access', 'latest', `--secret=${o.facebookSecret}`),
      secret: true,
    },
    {
      kind: 'http',
      part: 'identity',
      title: 'sign-in methods and blocking functions',
      url: `${project}/config`,
      body: {
        signIn: { email: { enabled: true, passwordRequired: true }, anonymous: { enabled: false }, phoneNumber: { enabled: false } },
        blockingFunctions: {
          triggers: Object.fromEntries(Object.entries(BLOCKING).map(([name, variable]) => [name, { functionUri: placeholder(variable) }])),
        },
      },
      update: { method: 'PATCH', url: `${project}/config?updateMask=${configMask}` },
    },
    {
      kind: 'http',
      part: 'identity',
      title: 'Facebook sign-in',
      url: facebook,
      body: { enabled: true, clientId: o.facebookAppId, clientSecret: placeholder('FACEBOOK_APP_SECRET') },
      create: { method: 'POST', url: `${project}/defaultSupportedIdpConfigs?idpId=facebook.com` },
      update: { method: 'PATCH', url: `${facebook}?updateMask=enabled,clientId,clientSecret` },
    },
    ...DISABLED_PROVIDERS.map((idp): Step => ({
      kind: 'http',
      part: 'identity',
      title: `${idp} sign-in off`,
      url: `${project}/defaultSupportedIdpConfigs/${idp}`,
      body: { enabled: false },
      update: { method: 'PATCH', url: `${project}/defaultSupportedIdpConfigs/${idp}?updateMask=enabled` },
    })),
  ];
}
