// The reviewed map: each operative clause of 雲端客戶服務協議 (../shared/agreement-zh-TW.md, quoted exactly
// as written there), the code that keeps it, and the tests that would fail without that code.
// `npm run evidence` refuses a test that did not run, a file that is not there or a symbol the file does
// not declare; functions/test/evidence/clauses-map.test.ts checks the same against the source files.
// A `pattern` must match the test's title as written (with its `%s`) and the names jest reports for it.
import type { ClauseSpec, TestRef } from './model';

const T = {
  activity: 'functions/test/activity/list-activity.test.ts',
  keyUse: 'functions/test/apikeys/key-use.test.ts',
  apiKeys: 'functions/test/apikeys/api-keys.test.ts',
  keySafeguards: 'functions/test/apikeys/creation-safeguards.test.ts',
  signInRecord: 'functions/test/identity/sign-in-record.test.ts',
  rules: 'functions/test/rules/rules.test.ts',
  retrieval: 'functions/test/rules/retrieval-agreement.test.ts',
  staffAccess: 'functions/test/termination/staff-access.test.ts',
  breaches: 'functions/test/breaches/breaches.test.ts',
  suspension: 'functions/test/suspension/suspension.test.ts',
  notices: 'functions/test/notices/notices.test.ts',
  shortNotice: 'functions/test/notices/short-notice.test.ts',
  customerTermination: 'functions/test/termination/customer.test.ts',
  adminTerminate: 'functions/test/termination/admin-terminate.test.ts',
  escalation: 'functions/test/lifecycle/escalation.test.ts',
  contractEnd: 'functions/test/lifecycle/contract.test.ts',
  setContract: 'functions/test/contracts/contract.test.ts',
  effectiveAt: 'functions/test/termination/effective-at.test.ts',
  finalise: 'functions/test/lifecycle/finalise.test.ts',
  exportContent: 'functions/test/content/export-content.test.ts',
  paymentRace: 'functions/test/billing/payment-race.test.ts',
  signUp: 'functions/test/identity/sign-up-and-sign-in.test.ts',
  blocking: 'functions/test/identity/blocking-protocol.test.ts',
  callable: 'functions/test/http/callable.test.ts',
  revocation: 'functions/test/http/revocation-check.test.ts',
  planParts: 'functions/test/deploy/plan-parts.test.ts',
  planData: 'functions/test/deploy/plan-data.test.ts',
  planFunctions: 'functions/test/deploy/plan-functions.test.ts',
  deployCheck: 'functions/test/deploy/check.test.ts',
  bucketLock: 'functions/test/deploy/bucket-lock.test.ts',
  backupPolicy: 'functions/test/backups/policy.test.ts',
  checkBackups: 'functions/test/backups/check-backups.test.ts',
  reportIncident: 'functions/test/incidents/report-incident.test.ts',
  publicPages: 'functions/test/public/public.test.ts',
  requestRecords: 'functions/test/records/request-records.test.ts',
  fulfilRecords: 'functions/test/records/fulfil-records.test.ts',
  // Browser tests (npm run test:web): the same promises, as a seller and staff meet them in the web client.
  webSignUp: 'web/test/sign-up.test.ts',
  webSeller: 'web/test/seller-account.test.ts',
  webBilling: 'web/test/console-billing.test.ts',
} as const;

const test = (file: string, name: string): TestRef => ({ file, name });
const tests = (file: string, pattern: RegExp): TestRef => ({ file, pattern });

const RULES = 'firestore.rules';
const RECORD_BREACH = { path: 'functions/src/breaches/admin-record-breach.ts', symbol: 'adminRecordBreach' };
const SUSPEND = { path: 'functions/src/suspension/admin-suspend-account.ts', symbol: 'adminSuspendAccount' };
const TERMINATE = { path: 'functions/src/termination/admin-terminate-account.ts', symbol: 'adminTerminateAccount' };
const ANNOUNCE = { path: 'functions/src/notices/announce.ts', symbol: 'announceServiceChange' };

/** Every operative clause of the agreement, in its order. */
export const CLAUSES: readonly ClauseSpec[] = [
  {
    id: '1.1a',
    promise: {
      'zh-TW': '除非我們違反本協議,否則:\n- (a) 您對帳戶下發生的所有活動負責,無論這些活動是否由您個人進行。',
      en: 'Unless we breach this agreement, you are responsible for all activity under your account, whether or not you carried it out yourself.',
    },
    controls: [
      { path: 'functions/src/accounts/activity-log.ts', symbol: 'recordActivity' },
      { path: 'functions/src/activity/list-activity.ts', symbol: 'listActivity' },
    ],
    tests: [
      test(T.signInRecord, 'sign-ins on the record when a Facebook user signs in a second time, then listActivity shows both sign-ins with provider, client IP and user agent'),
      test(T.keyUse, 'API-key use on the record when a key is used, then apiKey.used (key id, client IP) is logged at most once an hour, and the owner sees it in listActivity'),
      test(T.apiKeys, 'createApiKey when a key is created, then apiKey.created is in the activity log with keyId, label and prefix, never the key'),
      test(T.activity, 'listActivity when another customer lists, then they see none of this account'),
    ],
  },
  {
    id: '1.1b',
    promise: {
      'zh-TW': '除非我們違反本協議,否則:\n- (b) 我們和我們的第三方公司若未經授權,無法存取您的帳戶。',
      en: 'Unless we breach this agreement, neither we nor our third-party companies can access your account without authorisation.',
    },
    controls: [
      { path: RULES, symbol: 'isOwner' },
      { path: RULES, symbol: 'canUseContent' },
      { path: 'functions/src/http/callable.ts', symbol: 'requireCaller' },
      { path: 'functions/src/accounts/admin-get-account.ts', symbol: 'adminGetAccount' },
    ],
    tests: [
      tests(T.rules, /^firestore\.rules: the complete matrix \(collection × principal × operation × account state\) .+ with the owner account .+, every principal × operation cell is as specified$/),
      test(T.rules, "firestore.rules: isolation and edge cases when an owner reaches into the other customer's account, then every read and write is refused"),
      test(T.rules, 'firestore.rules: isolation and edge cases when anyone reads or writes a collection that no rule names, then it is refused (deny by default)'),
      tests(T.staffAccess, /^.+ when .+ calls it with a valid request, then it is refused and nothing is written$/),
      test(T.staffAccess, 'adminGetAccount for support when support looks at an account, then they see it, and the look is logged on the account under their role'),
    ],
  },
  {
    id: '1.2',
    promise: {
      'zh-TW': '您將確保您的內容和使用方式不會違反任何政策或任何適用法律。',
      en: 'You will ensure that your content and your use of the service do not violate any policy or applicable law.',
    },
    // The customer's duty; what the service does about a violation is record it as a breach with a cure
    // period (3.1(b)(i)) or suspend the account (3.1(b)(ii)).
    controls: [RECORD_BREACH, SUSPEND],
    tests: [
      test(T.breaches, 'adminRecordBreach when an admin records a breach with the default cure period, then it is stored open with cureBy at 00:00 Taipei after 30 days, logged, and the customer gets a Chinese notice'),
      test(T.suspension, 'adminSuspendAccount when an admin suspends an active account, then it is suspended, the Auth user disabled, the old ID token and the API key refused, logged and mailed'),
    ],
  },
  {
    id: '1.3',
    promise: {
      'zh-TW': '您的登入認證和由服務生成的私密金鑰僅供您個人使用。',
      en: 'Your sign-in credentials and the private keys the service generates are for your personal use only.',
    },
    controls: [
      { path: 'functions/src/apikeys/key.ts', symbol: 'generateApiKey' },
      { path: 'functions/src/apikeys/key.ts', symbol: 'hashApiKey' },
      { path: 'functions/src/apikeys/create-api-key.ts', symbol: 'assertRecentSignIn' },
      { path: 'functions/src/apikeys/revoke-api-key.ts', symbol: 'revokeApiKey' },
    ],
    tests: [
      test(T.apiKeys, 'createApiKey when a verified user creates a key, then it is returned once and authenticates getAccount as its owner'),
      test(T.apiKeys, 'createApiKey when a key is stored, then only its sha256 hash and a 12-character prefix are kept, plus the index entry'),
      test(T.apiKeys, 'listApiKeys when the owner lists keys, then newest first with ISO times and neither key nor hash anywhere in the response'),
      test(T.apiKeys, 'revokeApiKey when a key is revoked, then it is refused with 401 API_KEY_REVOKED and the log records it once, even when revoked twice'),
      test(T.apiKeys, 'revokeApiKey when the key id belongs to another user, then NOT_FOUND and their key keeps working'),
      test(T.keySafeguards, 'createApiKey needs a recent sign-in when the sign-in is 5 minutes and 1 second old, then FAILED_PRECONDITION RECENT_SIGN_IN_REQUIRED, even with a refreshed token, and nothing is written'),
    ],
  },
  {
    id: '2.1',
    promise: {
      'zh-TW': '我們可能會不時更改或停止任何服務。如果我們將停止您正在使用的服務的功能,我們會於1個月內事先通知。除以下三項情形發生,會立即更改或停止服務:\n' +
        '- (a) 將對我們或服務構成安全或知識產權問題。\n- (b) 因不可抗力之因素造成服務無法提供。\n- (c) 將導致我們違反法律要求。',
      en: 'We may change or discontinue any service from time to time; before discontinuing a feature you use we give one month\'s notice, except where (a) it would pose a security or intellectual-property problem, (b) force majeure makes the service impossible, or (c) it would make us break the law.',
    },
    controls: [
      ANNOUNCE,
      { path: 'functions/src/notices/model.ts', symbol: 'EXEMPTIONS' },
      { path: 'functions/src/notices/fanout.ts', symbol: 'advanceFanout' },
    ],
    tests: [
      tests(T.shortNotice, /^one calendar month of notice, whatever the kind \(clause 2\.1\) when a .+ is announced for sooner than a month without an exemption, then it is refused with the earliest date and nothing is stored, audited or mailed$/),
      tests(T.notices, /^one calendar month of notice, in Asia\/Taipei \(clause 2\.1\) when announced at .+, then .+ is the earliest date and .+ is refused with it in details$/),
      test(T.notices, 'adminAnnounceServiceChange through HTTP when an admin announces a change a month ahead, then every account that is not terminated gets it in its language, the notice is listed publicly and audited, and a retry with the same key sends nothing again'),
      test(T.notices, 'adminAnnounceServiceChange through HTTP when a named exemption with a justification is given, then a sooner date is accepted and both are published; unknown exemptions, or none, are refused with the earliest date'),
    ],
  },
  {
    id: '2.2',
    promise: {
      'zh-TW': '我們可能會不時更改、中止或添加服務級別協定。',
      en: 'We may change, suspend or add service-level agreements from time to time (announced as service notices of kind sla).',
    },
    controls: [
      { path: 'functions/src/notices/model.ts', symbol: 'NOTICE_KINDS' },
      ANNOUNCE,
    ],
    tests: [
      test(T.shortNotice, 'one calendar month of notice, whatever the kind (clause 2.1) when a sla is announced for sooner than a month without an exemption, then it is refused with the earliest date and nothing is stored, audited or mailed'),
      test(T.notices, 'fan-out to thousands of accounts when 2,500 accounts get a notice in pages, with a crash after writing part of a page and before saving its cursor, then the next step resumes, nothing is queued twice, terminated accounts are skipped, and a real SMTP server receives each message once'),
    ],
  },
  {
    id: '3.1a',
    promise: {
      'zh-TW': '(a) 因方便終止。\n您可以出於任何原因終止本協議，為我們提供帳戶結算機制的的所有服務提供通知並關閉您的帳戶。我們可以以任何理由終止本協定，而我們終止時會向您提出終止通知。',
      en: 'Termination for convenience: you may terminate for any reason by giving notice and closing your account; we may terminate for any reason, with a termination notice to you.',
    },
    controls: [
      { path: 'functions/src/termination/request-termination.ts', symbol: 'requestTermination' },
      TERMINATE,
      { path: 'functions/src/termination/dates.ts', symbol: 'assertNoticeMonths' },
    ],
    tests: [
      test(T.customerTermination, 'requestTermination when a customer asks with no data, then the account is terminating at 00:00 Taipei 30 days ahead, logged, and a Chinese notice with the date is mailed'),
      test(T.adminTerminate, 'adminTerminateAccount when an admin terminates for convenience with no date, then it takes effect at 00:00 Taipei one calendar month ahead, logged with the admin as actor, and noticed'),
      test(T.adminTerminate, 'adminTerminateAccount when the convenience notice is shorter than a calendar month, then INVALID_ARGUMENT with details.earliest and nothing is written'),
    ],
  },
  {
    id: '3.1b-i',
    promise: {
      'zh-TW': '(i) 由任何一方\n如另一方嚴重違反本協議，且重大違約行為在一段時間內未被擔保，任何一方均可因故終止本協議，且OrderPally保有立即終止之權利。',
      en: 'For cause, by either party: when the other party materially breaches the agreement and does not cure it within a period, either party may terminate; OrderPally may terminate immediately.',
    },
    controls: [
      RECORD_BREACH,
      { path: 'functions/src/lifecycle/escalate-breach.ts', symbol: 'escalateBreach' },
      TERMINATE,
    ],
    tests: [
      test(T.breaches, 'adminRecordBreach when an admin records a breach with the default cure period, then it is stored open with cureBy at 00:00 Taipei after 30 days, logged, and the customer gets a Chinese notice'),
      test(T.escalation, 'escalating uncured breaches (clause 3.1(b)(i)) when the cure period has not ended, then nothing happens; when it ends uncured, then the account is terminated for cause at once and finalised in the same run'),
      test(T.escalation, 'escalating uncured breaches (clause 3.1(b)(i)) when the breach was cured before its date, then it is never escalated'),
      test(T.adminTerminate, 'adminTerminateAccount when an admin terminates an English account for cause with immediate effect, then it is terminated now, its content is destroyed at once, and the English notice says so'),
    ],
  },
  {
    id: '3.1b-ii',
    promise: {
      'zh-TW': '(ii) 由我們\n我們在以下情形有權暫停或終止您的帳戶：\n(A) 通知您後立即終止本協議。\n' +
        '(B) 提供我們服務的軟體或其他技術的第三方合作夥伴因合約關係、終止或要求我們改變作為服務一部份提供軟體或其他技術的方式。\n(C) 為了遵守法律或政府單位的要求。',
      en: 'By us: we may suspend or terminate your account (A) on notice, (B) when a third-party partner whose software or technology is part of the service ends or changes it, or (C) to comply with the law or a government demand.',
    },
    controls: [
      SUSPEND,
      TERMINATE,
      { path: 'functions/src/termination/admin-terminate-account.ts', symbol: 'STAFF_TERMINATION_KINDS' },
    ],
    tests: [
      test(T.suspension, 'adminSuspendAccount when an admin suspends an active account, then it is suspended, the Auth user disabled, the old ID token and the API key refused, logged and mailed'),
      test(T.adminTerminate, 'adminTerminateAccount when an admin terminates for legal with a future date, then the account is terminating until that date'),
      test(T.adminTerminate, 'adminTerminateAccount when an admin terminates for partner with a future date, then the account is terminating until that date'),
    ],
  },
  {
    id: '3.1c',
    promise: {
      'zh-TW': '(c) 因契約終止。\n您與我們的合約終止(包括但不限於違約、合約到期等合約載明終止原因)時，我們將會終止您的帳戶。',
      en: 'On the end of the contract: when your contract with us ends (breach, expiry or any reason it states), we terminate your account.',
    },
    controls: [
      { path: 'functions/src/lifecycle/end-contract.ts', symbol: 'endContract' },
      { path: 'functions/src/accounts/effective-status.ts', symbol: 'contractEnded' },
      { path: 'functions/src/contracts/admin-set-contract.ts', symbol: 'adminSetContract' },
    ],
    tests: [
      test(T.contractEnd, 'contract end (clause 3.1(c)) when the contract end has not come, then nothing; when it has, then the account is terminated by the system (contract-end) and finalised in the same run'),
      test(T.effectiveAt, 'the exact instant (use cases with a fixed clock) when the clock reaches contract.endsAt exactly, then every entry point refuses; a millisecond before, each one serves the owner'),
      test(T.setContract, 'adminSetContract when an admin sets a contract end date, then contract.endsAt is 00:00 Taipei that day, logged, and the customer sees it'),
    ],
  },
  {
    id: '3.2a',
    promise: {
      'zh-TW': '(a) 一般情況下。終止日期：\n(i) 除第3.2(b)條規定外，本協議規定的所有權利將立即終止：\n(ii) 您將立即被銷毀您擁有的所有OrderPally服務內容',
      en: 'On the termination date: every right under the agreement ends at once (save clause 3.2(b)), and all your OrderPally service content is destroyed.',
    },
    controls: [
      { path: 'functions/src/accounts/effective-status.ts', symbol: 'terminationDateReached' },
      { path: RULES, symbol: 'rightsEnded' },
      { path: 'functions/src/lifecycle/finalise.ts', symbol: 'finaliseAccount' },
      { path: 'functions/src/lifecycle/destroy-content.ts', symbol: 'destroyContent' },
      { path: 'functions/src/lifecycle/revoke-access.ts', symbol: 'endSignIn' },
    ],
    tests: [
      test(T.finalise, 'finalising a termination when the date arrives, then the account is terminated, its Auth user disabled, tokens and keys revoked, content destroyed at every depth, records and other accounts kept, and the customer mailed once; a second run does nothing'),
      test(T.effectiveAt, 'the termination date ends every right at once, with no processLifecycle run when the effectiveAt of a terminating account has passed and no sweep has run, then content, export, every callable, the API key and sign-in are refused, and nothing is written'),
      test(T.effectiveAt, 'the exact instant (use cases with a fixed clock) when the clock reaches termination.effectiveAt exactly, then every entry point refuses; a millisecond before, each one serves the owner'),
    ],
  },
  {
    id: '3.2b',
    promise: {
      'zh-TW': '(b) 終止後。在通知您終止到終止日期前，我們將會進行以下程序：\n(i) 我們不會因終止從OrderPally中刪除您的任何內容：和\n' +
        '(ii) 只有您支付了本協定下到期的所有金額，我們才允許您從服務處檢索您的內容。',
      en: 'Between the termination notice and the termination date: (i) we delete none of your content because of the termination; (ii) you may retrieve your content only once every amount due is paid.',
    },
    controls: [
      { path: 'functions/src/content/retrieval.ts', symbol: 'assertRetrievalAllowed' },
      { path: RULES, symbol: 'noAmountsDue' },
      { path: 'functions/src/content/export-content.ts', symbol: 'exportContent' },
    ],
    tests: [
      test(T.effectiveAt, 'the notice period is full use of the service (clause 3.2) when a terminating account has nothing due before its date, then the owner reads, creates, changes and deletes content exactly as while active'),
      test(T.effectiveAt, 'the notice period is full use of the service (clause 3.2) when a terminating account has an amount due, then the owner can neither read nor write content until it is paid'),
      test(T.exportContent, 'exportContent refusals when the account is terminating with an invoice past due, then 402 AMOUNTS_DUE with the amount and the invoices'),
      tests(T.retrieval, /^retrieval: the rules, exportContent and getAccount agree \(clause 3\.2\) when the account is .+, then all three agree in every billing state, as expected$/),
      test(T.paymentRace, 'payment and export when a payment is recorded while the export is refused, then the next export succeeds and getAccount allows retrieval'),
      test(T.webBilling, 'support console: billing and the retrieval rule (clause 3.2(b)) when an admin records a past-due invoice on a terminating account, then the seller’s download is refused, and once the admin records the payment the seller downloads'),
    ],
  },
  {
    id: '5.1',
    promise: {
      'zh-TW': 'OrderPally使用Facebook或Email來管理和確認用戶身份資訊。',
      en: 'OrderPally manages and confirms user identities with Facebook or email.',
    },
    controls: [
      { path: 'functions/src/identity/policy.ts', symbol: 'signInMethodDecision' },
      { path: 'functions/src/identity/before-create.ts', symbol: 'beforeCreate' },
      { path: 'scripts/deploy/identity-part.ts', symbol: 'identityPart' },
    ],
    tests: [
      test(T.signUp, 'beforeCreate through the Auth emulator when someone signs up with email and password, then accounts/{uid} is created active, in zh-TW, owing nothing, with its activity'),
      test(T.signUp, 'beforeCreate through the Auth emulator when someone signs in with Facebook for the first time, then an account with providers [facebook.com] is created'),
      test(T.signUp, 'beforeCreate through the Auth emulator when someone signs in with Google, then it is refused with our message, and neither an account nor an Auth user is created'),
      tests(T.blocking, /^refused sign-in methods when beforeCreate is for .+, then 403 PERMISSION_DENIED naming it, and no account is created$/),
      tests(T.callable, /^sign-in methods \(clauses 5\.1\/5\.2\) when .+ calls, then UNAUTHENTICATED SIGN_IN_METHOD_NOT_ALLOWED$/),
      test(T.planParts, 'deploy plan: regions, TLS, scheduler, bucket, identity when identity is planned, then only email+password and Facebook are on and both blocking functions are registered'),
      test(T.webSeller, 'the account centre when a seller signs in with Facebook through the Auth emulator, then beforeCreate provisions a Facebook account and the account page shows it active, with no request to another host'),
    ],
  },
  {
    id: '5.2',
    promise: {
      'zh-TW': 'OrderPally提供授權機制以管理存取權限並限制對特定雲端服務、功能或客戶資料的存取。OrderPally用戶身分驗證流程如下：\n- 採用第三方社交平台認證者：\n' +
        ' 1. OrderPally用戶使用Facebook登入\n 2. 系統將轉導至Facebook驗證登入並將識別碼紀錄在系統\n 3. 經過第三方社交平台驗證確認身份、核對後便可使用\n' +
        '- 採用Email者：\n 1. OrderPally用戶輸入Email及密碼至系統\n 2. 經過系統驗證確認身份、核對後便可使用',
      en: 'OrderPally authorises access to services, features and customer data. Facebook users sign in through Facebook, which verifies them, and the system records their identifier; email users give their address and password, which the system verifies; either may use the service only once verified.',
    },
    controls: [
      { path: 'functions/src/http/auth.ts', symbol: 'authenticate' },
      { path: 'functions/src/http/blocking.ts', symbol: 'verifiedEvent' },
      { path: 'functions/src/identity/before-sign-in.ts', symbol: 'beforeSignIn' },
    ],
    tests: [
      test(T.revocation, "authenticate() and the revocation check when an ID token is presented, then it is verified with checkRevoked === true, and the caller carries the token's uid and auth_time"),
      test(T.callable, 'ID token verification when the refresh tokens were revoked after sign-in, then the old ID token is refused'),
      test(T.callable, 'ID token verification when the user is disabled, then their still-valid ID token is refused'),
      test(T.callable, 'verified identity (clause 5.2) when an email+password user has not verified their address, then FAILED_PRECONDITION EMAIL_NOT_VERIFIED'),
      test(T.blocking, 'requests that are not a valid blocking event when the token is signed with a key of our own making, then 401 (only Identity Platform, or locally the unsigned emulator, is trusted)'),
      test(T.signUp, 'beforeSignIn through the Auth emulator when the account is suspended, then sign-in is refused with our message'),
      test(T.signInRecord, 'sign-ins on the record when a Facebook user signs in a second time, then listActivity shows both sign-ins with provider, client IP and user agent'),
      test(T.webSignUp, 'sign-up when a seller signs up with email and password, then the account centre waits for the verification link, and once it is opened shows the active account in zh-TW, with no request to another host'),
    ],
  },
  {
    id: '5.3',
    promise: {
      'zh-TW': 'OrderPally使用TLS1.3以上的傳輸加密措施來獲取傳輸中的數據和數據，以保護機密和敏感資訊免於未經授權的披露和修改。',
      en: 'OrderPally encrypts data in transit with TLS 1.3 or newer, protecting confidential and sensitive information from unauthorised disclosure and change.',
    },
    controls: [
      { path: 'scripts/deploy/frontdoor-part.ts', symbol: 'frontdoorPart' },
      { path: 'scripts/deploy/frontdoor-part.ts', symbol: 'SSL_POLICY' },
      { path: 'scripts/deploy/functions-part.ts', symbol: 'accessOf' },
    ],
    tests: [
      test(T.planParts, 'deploy plan: regions, TLS, scheduler, bucket, identity when the front door is built, then its SSL policy is RESTRICTED with TLS 1.3 minimum and the HTTPS proxy on 443 uses it'),
      test(T.planFunctions, 'deploy plan: functions when a function is client-facing, then it is invokable but only through the load balancer (internal-and-gclb)'),
      test(T.deployCheck, 'npm run deploy -- --check when privileges, the edge or TTL drifted (a private function made public, a secret where none belongs, TLS below 1.3, a deleted backend, Cloud Armor detached, TTL off), then each is reported'),
    ],
  },
  {
    id: '5.4',
    promise: {
      'zh-TW': 'OrderPally定期使用資料庫snapshot機制執行客戶資訊備份。在備份資料儲存時使用 Google Cloud Platform 提供的數據加密保護資料，並至少留存 7 天，以確保資訊的機密性、完整性和可用性',
      en: 'OrderPally backs up customer information regularly with database snapshots, stored encrypted by Google Cloud Platform and kept for at least 7 days.',
    },
    controls: [
      { path: 'functions/src/backups/bucket-policy.ts', symbol: 'bucketPolicy' },
      { path: 'functions/src/backups/bucket-policy.ts', symbol: 'assertRetentionDays' },
      { path: 'functions/src/backups/run-backup.ts', symbol: 'runBackup' },
      { path: 'functions/src/backups/check-backups.ts', symbol: 'checkBackups' },
      { path: 'scripts/deploy/bucket-part.ts', symbol: 'bucketPart' },
    ],
    tests: [
      test(T.backupPolicy, 'bucket policy when built for 7 days with a KMS key, then it is asia-east1, retains 604800 s, deletes at age 8, uniform access, PAP enforced, CMEK'),
      tests(T.backupPolicy, /^bucket policy when the retention is .+ days, then it is refused naming clause 5\.4$/),
      test(T.planParts, 'deploy plan: regions, TLS, scheduler, bucket, identity when the backup bucket is planned, then it keeps exports at least 7 days in asia-east1, never public, and only the Firestore agent has access'),
      test(T.planData, 'deploy plan: TTL, locked backup retention, logs in Taiwan when the bucket is planned with the defaults, then its retention policy is locked, after the policy is set, and nothing warns'),
      test(T.bucketLock, 'deploy bucket part: the retention lock through the official Cloud Storage client when the bucket part runs on an empty project and again, then the bucket is created, its retention locked at the metageneration read, and the second run changes nothing'),
      test(T.checkBackups, 'checkBackups when Cloud Scheduler (here the local cron) POSTs runBackup then checkBackups over HTTP, then the export is written and the check is healthy'),
      test(T.checkBackups, 'checkBackups when the newest good backup is older than 26 h, then ops get one alert mail and no repeat on later checks; a new stale spell after recovery alerts again'),
    ],
  },
  {
    id: '5.7',
    promise: {
      'zh-TW': '若用戶在使用OrderPally的服務中發現有任何資訊安全上的相關問題，請與OrderPally的客服聯絡 (orderpally.service@17.live)，我們會依照相關規定給予用戶回應。',
      en: 'A user who finds a security problem while using OrderPally contacts OrderPally support (orderpally.service@17.live) and is answered as the rules require.',
    },
    controls: [
      { path: 'functions/src/incidents/report-incident.ts', symbol: 'reportIncident' },
      { path: 'functions/src/public/security-txt.ts', symbol: 'securityTxt' },
      { path: 'functions/src/incidents/check-incidents.ts', symbol: 'lateIncidents' },
    ],
    tests: [
      test(T.reportIncident, 'reportIncident, anonymous when an anonymous reporter sends a report, then it is stored, support gets it in Chinese with Reply-To the reporter, and the reporter a Chinese acknowledgement'),
      test(T.reportIncident, 'reportIncident, signed in when a signed-in user reports, then support sees uid, account status and sign-in provider, the ack follows the account locale, and the activity log records it'),
      test(T.reportIncident, 'when mail cannot be sent when SMTP is down, then the report is still stored and answered, and its two mails wait in the outbox for a retry'),
      tests(T.publicPages, /^security\.txt \(RFC 9116\) when GET .+, then the required fields are served as UTF-8 text$/),
    ],
  },
  {
    id: '5.8',
    promise: {
      'zh-TW': 'OrderPally擁有適當組織與技術安全措施，旨在保護機密和敏感資訊免受濫用、未經授權存取、非法存取/披露、丟失、更改、損壞或破壞。如需調閱記錄，請與OrderPally的客服聯絡 (orderpally.service@17.live)，我們會依照相關規定給予用戶回應。',
      en: 'OrderPally protects confidential and sensitive information from misuse, unauthorised or unlawful access or disclosure, loss, change, damage or destruction; records can be requested from support (orderpally.service@17.live).',
    },
    controls: [
      { path: 'functions/src/records/request-records.ts', symbol: 'requestRecords' },
      { path: 'functions/src/records/fulfil-record-request.ts', symbol: 'adminFulfilRecordRequest' },
      { path: 'functions/src/records/export-records.ts', symbol: 'exportRecords' },
    ],
    tests: [
      test(T.requestRecords, 'requestRecords when a verified customer asks for security records, then the request is stored, support is mailed with Reply-To the customer, the customer gets a Chinese acknowledgement, and the activity log records it'),
      test(T.fulfilRecords, 'adminFulfilRecordRequest and exportRecords when support fulfils a security request, then the owner is mailed how to download and downloads the sign-ins, key use and incidents as NDJSON'),
      test(T.fulfilRecords, 'adminFulfilRecordRequest and exportRecords when someone else asks for the reference, then NOT_FOUND, the same as for a reference never issued'),
    ],
  },
  {
    id: '5.10',
    promise: {
      'zh-TW': 'OrderPally雲端實體存放位置位於台灣(Changhua County, Taiwan, APAC)。',
      en: 'OrderPally\'s cloud data is physically stored in Taiwan (Changhua County, Taiwan, APAC): Google Cloud region asia-east1.',
    },
    controls: [
      { path: 'scripts/deploy/steps.ts', symbol: 'REGION' },
      { path: 'functions/src/backups/bucket-policy.ts', symbol: 'BACKUP_LOCATION' },
      { path: 'scripts/deploy/logging-part.ts', symbol: 'loggingPart' },
    ],
    tests: [
      test(T.planParts, 'deploy plan: regions, TLS, scheduler, bucket, identity when the plan names a region or location anywhere, then it is asia-east1'),
      test(T.planParts, 'deploy plan: regions, TLS, scheduler, bucket, identity when the database step is read, then an existing database outside asia-east1 does not match'),
      test(T.planFunctions, 'deploy plan: functions when a function is deployed, then it is a 2nd-gen nodejs24 HTTP function in asia-east1 with its own entry point and environment'),
      test(T.planData, "deploy plan: TTL, locked backup retention, logs in Taiwan when logging is planned, then it comes first and routes the project's logs to a bucket in asia-east1, each step readable"),
    ],
  },
];
