// The response headers of every page of the web client, in production (the load balancer's
// backend bucket, scripts/deploy) and locally (`npm start`, the browser tests): one source, so
// what the browser tests prove is what production serves.

/**
 * The Content-Security-Policy: scripts, styles, fonts and images only from the page's own
 * origin (nothing from a third-party host: no CDN, web font or analytics), no inline script, no
 * framing. `connectSrc` adds the origins the page talks to (the functions, Firebase Auth);
 * `frameSrc` the Firebase Auth handler that Facebook sign-in opens; `scriptSrc` the script that
 * handler needs in production (FIREBASE_POPUP_SCRIPT_ORIGINS).
 * @param {{ connectSrc?: string[], frameSrc?: string[], scriptSrc?: string[] }} [extra]
 * @returns {string}
 */
export function contentSecurityPolicy({ connectSrc = [], frameSrc = [], scriptSrc = [] } = {}) {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...scriptSrc].join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    `frame-src ${frameSrc.length > 0 ? frameSrc.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Every security header of a page.
 * @param {{ connectSrc?: string[], frameSrc?: string[], scriptSrc?: string[] }} [extra] see contentSecurityPolicy
 * @returns {Record<string, string>}
 */
export function securityHeaders(extra = {}) {
  return {
    'Content-Security-Policy': contentSecurityPolicy(extra),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Facebook sign-in opens a popup that must be able to report back to this page.
    'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** Firebase Auth's REST hosts, which the Firebase JS SDK calls from the page in production. */
export const FIREBASE_AUTH_ORIGINS = ['https://identitytoolkit.googleapis.com', 'https://securetoken.googleapis.com'];

/**
 * Google's loader that the Firebase JS SDK fetches to open its sign-in handler frame for Facebook
 * sign-in in production: part of Firebase Auth, not a third party. Local builds sign in to the
 * emulator's fake Facebook without the popup (web/src/pages/sign-in.tsx), so they need none.
 */
export const FIREBASE_POPUP_SCRIPT_ORIGINS = ['https://apis.google.com'];
