import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

// Runs in a fresh Node process (not jest's module registry): loads the built functions the way
// the Functions Framework does, answers one health request, and reports which heavy libraries
// were loaded by then.
const PROBE = `
const http = require('node:http');
require(${JSON.stringify(path.join(ROOT, 'functions/lib/index.js'))});
const { getTestServer } = require('@google-cloud/functions-framework/testing');
const server = getTestServer('health').listen(0, '127.0.0.1', () => {
  http.get({ host: '127.0.0.1', port: server.address().port, path: '/' }, (res) => {
    res.resume();
    res.on('end', () => {
      const loaded = Object.keys(require.cache);
      const has = (part) => loaded.some((file) => file.includes(part));
      console.log(JSON.stringify({
        status: res.statusCode,
        firestore: has('/@google-cloud/firestore/'),
        auth: has('/firebase-admin/lib/auth/'),
        nodemailer: has('/nodemailer/'),
      }));
      server.close();
    });
  });
});
`;

describe('cold start', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }, 120_000);

  it('when the functions load and health answers, then Firestore, Auth and nodemailer are not loaded', () => {
    const run = spawnSync(process.execPath, ['-e', PROBE], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GCLOUD_PROJECT: 'demo-orderpally', LOG_LEVEL: 'ERROR' },
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}')).toEqual({
      status: 200,
      firestore: false,
      auth: false,
      nodemailer: false,
    });
  });
});
