import { FIREBASE_AUTH_ORIGINS, FIREBASE_POPUP_SCRIPT_ORIGINS, securityHeaders } from '../../web/security-headers.mjs';
import type { DeployOptions } from './options';
import { enableApis, gcloud, REGION, type BucketStep, type CommandStep, type Step } from './steps';

/** The backend bucket the load balancer serves the web client from. */
export const BACKEND_BUCKET = 'orderpally-web';

/** What the plan says when the web part is chosen but has no host. */
export const WEB_SKIPPED_WARNING = 'WARNING: no --web-domain: the web client is NOT deployed (no bucket, no backend bucket, no host rule). ' +
  'Give --web-domain <host> --web-api-key <key> to serve it behind the same load balancer as the functions.';

/** The web client's origin, which the functions must accept (CORS), or none without a web domain. */
export function webOrigins(o: DeployOptions): string[] {
  return o.webDomain === '' ? [] : [`https://${o.webDomain}`];
}

/**
 * The headers every page carries in production: web/security-headers.mjs, the same source the local
 * server uses, with the origins the production page talks to — the functions' host and Firebase
 * Auth's REST hosts — and the Firebase Auth handler Facebook sign-in opens. Nothing else.
 */
export function productionHeaders(o: DeployOptions): Record<string, string> {
  return securityHeaders({ connectSrc: [`https://${o.domain}`, ...FIREBASE_AUTH_ORIGINS], frameSrc: [`https://${o.project}.firebaseapp.com`], scriptSrc: FIREBASE_POPUP_SCRIPT_ORIGINS });
}

/**
 * What Vite builds into the client (VITE_* is read at build time). The API key identifies the
 * project to Firebase Auth and ships in every browser anyway; it is no secret.
 */
export function webBuildEnv(o: DeployOptions): Record<string, string> {
  return {
    VITE_FIREBASE_API_KEY: o.webApiKey,
    VITE_FIREBASE_PROJECT_ID: o.project,
    VITE_FIREBASE_AUTH_DOMAIN: `${o.project}.firebaseapp.com`,
    VITE_FUNCTIONS_BASE_URL: `https://${o.domain}`,
  };
}

/** `--custom-response-header` flags: one per header, `Name: value` as gcloud takes them. */
const headerFlags = (o: DeployOptions): string[] => Object.entries(productionHeaders(o)).map(([k, v]) => `--custom-response-header=${k}: ${v}`);

function backendBucketStep(o: DeployOptions): CommandStep {
  const flags = [`--gcs-bucket-name=${o.webBucket}`, ...headerFlags(o)];
  return {
    kind: 'command',
    part: 'web',
    title: `backend bucket ${BACKEND_BUCKET} on gs://${o.webBucket} with the security headers`,
    // One line per header, each with the bucket it serves: a changed, missing or extra header is drift.
    read: gcloud(o.project, 'compute', 'backend-buckets', 'describe', BACKEND_BUCKET, '--flatten=customResponseHeaders[]',
      '--format=value(bucketName,customResponseHeaders)'),
    expect: Object.entries(productionHeaders(o)).map(([k, v]) => `${o.webBucket}\t${k}: ${v}`).join('\n'),
    create: gcloud(o.project, 'compute', 'backend-buckets', 'create', BACKEND_BUCKET, ...flags),
    update: gcloud(o.project, 'compute', 'backend-buckets', 'update', BACKEND_BUCKET, ...flags),
  };
}

/**
 * The `web` part (issue 16; TLS and routing are the front door's, clause 5.3): the web client built for production,
 * in a bucket in asia-east1 (clause 5.10) that anyone may read objects from — the load balancer
 * reads it anonymously — and served through a backend bucket that adds the security headers.
 * No Cloud Armor here: backend buckets take only edge security policies, which can neither throttle
 * nor read a body, and a static GET has nothing to cap. Without `--web-domain` it plans nothing
 * (see webWarnings).
 */
export function webPart(o: DeployOptions): Step[] {
  if (o.webDomain === '') return [];
  const bucket = (title: string, action: BucketStep['action']): BucketStep => ({ kind: 'bucket', part: 'web', title, bucket: o.webBucket, action });
  const dest = `gs://${o.webBucket}`;
  const always = (title: string, create: string[]): CommandStep => ({ kind: 'command', part: 'web', title, create, always: true });
  return [
    enableApis('web', o.project, ['storage.googleapis.com', 'compute.googleapis.com']),
    bucket(`web bucket ${dest}`, {
      type: 'metadata',
      metadata: {
        name: o.webBucket,
        location: REGION,
        storageClass: 'STANDARD',
        // Public objects, so not `enforced`; uniform access, so no object ACL can differ from the bucket's IAM.
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'inherited' },
        // Every deploy uploads the build from git: old versions would only pile up.
        versioning: { enabled: false },
        // A deep link (/account/keys) has no object: the app's page answers it, with status 404.
        website: { mainPageSuffix: 'index.html', notFoundPage: 'index.html' },
      },
    }),
    // The backend bucket reads as allUsers. objectViewer also lists object names: the bucket holds nothing but
    // the public build, and a missing object must be seen as missing (404, then notFoundPage).
    bucket('anyone reads the web client\'s files', { type: 'iam', role: 'roles/storage.objectViewer', member: 'allUsers' }),
    backendBucketStep(o),
    // env -u: an operator's shell must not turn the production build towards the emulators.
    always('build the web client for production',
      ['env', '-u', 'VITE_AUTH_EMULATOR', '-u', 'VITE_FUNCTIONS_EMULATOR', ...Object.entries(webBuildEnv(o)).map(([k, v]) => `${k}=${v}`), 'npm', 'run', 'build', '-w', 'web']),
    // Hashed assets first, never deleted: a page loaded before this deploy still finds its chunks.
    always('upload web/dist/assets (hashed, cached for a year)', gcloud(o.project, 'storage', 'rsync', 'web/dist/assets', `${dest}/assets`,
      '--recursive', '--cache-control=public, max-age=31536000, immutable')),
    // Then index.html and the rest, revalidated on every load, so a new deploy is picked up at once.
    always('upload web/dist (index.html revalidated on every load)', gcloud(o.project, 'storage', 'rsync', 'web/dist', dest,
      '--recursive', '--delete-unmatched-destination-objects', '--exclude=^assets/', '--cache-control=no-cache')),
  ];
}

/** Warnings about the web part that only the options show (printed with the plan's own warnings). */
export function webWarnings(o: DeployOptions): string[] {
  return o.parts.includes('web') && o.webDomain === '' ? [WEB_SKIPPED_WARNING] : [];
}
