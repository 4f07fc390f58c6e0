import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assertFails, initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { doc, getDoc, setDoc, setLogLevel } from 'firebase/firestore';

let env: RulesTestEnvironment;
setLogLevel('silent'); // refusals are the expected outcome here, not warnings

beforeAll(async () => {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
  env = await initializeTestEnvironment({
    projectId: 'demo-orderpally',
    firestore: { host, port: Number(port), rules: readFileSync(path.join(__dirname, '../../../firestore.rules'), 'utf8') },
  });
  await env.withSecurityRulesDisabled(async (ctx) => {
    await setDoc(doc(ctx.firestore(), 'anything/doc'), { secret: true });
  });
});
afterAll(() => env.cleanup());

describe('firestore.rules: deny by default', () => {
  it.each([
    ['an anonymous client', () => env.unauthenticatedContext()],
    ['a signed-in customer', () => env.authenticatedContext('alice', { email_verified: true })],
    ['a staff member', () => env.authenticatedContext('staff', { role: 'admin' })],
  ])('when %s reads or writes an unlisted document, then it is refused', async (_who, context) => {
    const db = context().firestore();
    await assertFails(getDoc(doc(db, 'anything/doc')));
    await assertFails(setDoc(doc(db, 'anything/new'), { x: 1 }));
  });
});
