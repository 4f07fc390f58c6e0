import { deleteApp, getApps } from 'firebase-admin/app';

// The admin SDK's connections would keep jest waiting after the last test of a file.
afterAll(async () => {
  await Promise.all(getApps().map((app) => deleteApp(app)));
});
