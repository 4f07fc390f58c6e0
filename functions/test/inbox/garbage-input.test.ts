import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, hostileId, hostileText, nearMiss } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { facebookUser, resultOf } from './helpers';

/** The garbage-input property (support/garbage-input.ts) for the inbox, contact-address and language functions. */
const local = useLocalFunctions();
const NAMES = ['listMyNotices', 'markNoticesRead', 'setContactEmail', 'confirmContactEmail', 'setLocale'] as const;

// One Facebook seller per function: a code that setContactEmail's garbage managed to request must
// not meet confirmContactEmail's garbage (a wrong code is counted, by design).
const users = new Map<string, { uid: string; token: string }>();
let noticeId = '';

beforeAll(async () => {
  for (const name of NAMES) {
    const user = await facebookUser();
    await resultOf(local.server.baseUrl, 'getAccount', user.token, null);
    users.set(name, user);
  }
  const owner = users.get('markNoticesRead');
  const ref = await getDeps().db.collection('inbox').add({ uid: owner?.uid, kind: 'test', title: 't', body: 'b', createdAt: new Date(), readAt: null, mailId: null });
  noticeId = ref.id;
});

/** Everything a call could write for these users: accounts, inbox entries, pending codes, outbox. */
async function fingerprint(): Promise<string> {
  const db = getDeps().db;
  const parts = await Promise.all([...users.values()].map(async ({ uid }) => {
    const [inbox, challenge, mail] = await Promise.all([
      db.collection('inbox').where('uid', '==', uid).get(),
      db.collection('contactEmailChallenges').doc(uid).get(),
      db.collection('mail').where('related', '==', `accounts/${uid}`).count().get(),
    ]);
    return accountFingerprint(uid, ...inbox.docs.map((d) => `${d.id}@${d.updateTime.toMillis()}`), `challenge@${challenge.updateTime?.toMillis() ?? 'none'}`, `mail=${mail.data().count}`);
  }));
  return parts.join('\n');
}

describeGarbageInput({
  names: NAMES,
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      pageSize: fc.oneof(fc.integer(), fc.double(), fc.string()),
      pageToken: fc.oneof(fc.string({ maxLength: 300 }), hostileText),
      ids: fc.oneof(fc.array(fc.oneof(fc.constant(noticeId), hostileId, fc.string({ maxLength: 140 })), { maxLength: 120 }), fc.jsonValue()),
      email: fc.oneof(fc.emailAddress(), hostileText, fc.string({ maxLength: 300 }), fc.jsonValue()),
      code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.integer(), fc.string({ maxLength: 10 }), hostileText),
      locale: fc.oneof(fc.constantFrom('zh-TW', 'en', 'EN', 'zh', 'fr', ''), fc.jsonValue()),
    }),
  token: (name) => users.get(name)?.token,
  fingerprint,
  runs: 25,
});
