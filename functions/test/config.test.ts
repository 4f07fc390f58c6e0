import { ConfigError, emulatorsInDeployment, loadConfig, redactConfig } from '../src/config';
import { createLogger } from '../src/shared/log';

describe('loadConfig', () => {
  it('when the environment is empty, then every default is the documented one', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      GCLOUD_PROJECT: 'demo-orderpally',
      FUNCTION_REGION: 'asia-east1',
      LOG_LEVEL: 'INFO',
      ALLOWED_ORIGINS: [],
      SUPPORT_EMAIL: 'orderpally.service@17.live',
      OPS_EMAIL: 'orderpally.service@17.live',
      MAIL_FROM: 'orderpally.service@17.live',
      PUBLIC_BASE_URL: 'http://127.0.0.1:5001',
      SECURITY_TXT_EXPIRES_DAYS: 180,
      TRUSTED_PROXY_HOPS: 1,
      TERMINATION_MIN_DAYS: 7,
      TERMINATION_MAX_DAYS: 90,
      TERMINATION_DEFAULT_DAYS: 30,
      BREACH_CURE_DAYS: 30,
      BREACH_ESCALATION: 'immediate',
      BREACH_NOTICE_DAYS: 7,
      SERVICE_NOTICE_MIN_MONTHS: 1,
      PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: 1,
      TERMINATION_REMINDER_DAYS: [7, 1],
      CONTRACT_REMINDER_DAYS: [30, 7],
      BACKUP_RETENTION_DAYS: 7,
      BACKUP_LOCAL_DIR: '.emulators/backups',
      BACKUP_STALE_HOURS: 26,
      SCHEDULER_INVOKERS: [],
      SCHEDULER_AUDIENCE: [],
      GOOGLE_OIDC_CERTS_URL: 'https://www.googleapis.com/oauth2/v1/certs',
      MAIL_SENT_RETENTION_DAYS: 30,
      MAIL_FAILED_RETENTION_DAYS: 90,
      NOTICES_CACHE_SECONDS: 60,
    });
  });

  it('when backup retention is below 7 days or the termination default lies outside its window, then the key is named', () => {
    expect(() => loadConfig({ BACKUP_RETENTION_DAYS: '6' })).toThrow(/BACKUP_RETENTION_DAYS: must be at least 7/);
    expect(() => loadConfig({ TERMINATION_DEFAULT_DAYS: '120' })).toThrow(/TERMINATION_DEFAULT_DAYS/);
  });

  it('when values are given, then they are parsed into their types', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173',
      SECURITY_TXT_EXPIRES_DAYS: '90',
      SMTP_URL: 'smtps://user:pw@smtp.example:465',
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
    });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(config.SECURITY_TXT_EXPIRES_DAYS).toBe(90);
    expect(config.SMTP_URL).toBe('smtps://user:pw@smtp.example:465');
    expect(config.FIRESTORE_EMULATOR_HOST).toBe('127.0.0.1:8080');
  });

  it('when a key is set to the empty string, then it counts as unset', () => {
    expect(loadConfig({ SUPPORT_EMAIL: '', LOG_LEVEL: '' }).SUPPORT_EMAIL).toBe('orderpally.service@17.live');
  });

  it('when several keys are bad, then one error lists every one of them', () => {
    const bad = {
      GCLOUD_PROJECT: 'Not A Project',
      LOG_LEVEL: 'LOUD',
      ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path',
      SUPPORT_EMAIL: 'not-an-email',
      OPS_EMAIL: 'Ops <ops@orderpally.example>',
      SMTP_URL: 'http://smtp.example',
      SECURITY_TXT_EXPIRES_DAYS: '400',
      FIRESTORE_EMULATOR_HOST: 'localhost',
    };
    let caught: unknown;
    try {
      loadConfig(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(
      ['ALLOWED_ORIGINS.1', 'FIRESTORE_EMULATOR_HOST', 'GCLOUD_PROJECT', 'LOG_LEVEL', 'OPS_EMAIL', 'SECURITY_TXT_EXPIRES_DAYS', 'SMTP_URL', 'SUPPORT_EMAIL'].sort(),
    );
    expect((caught as Error).message).toMatch(/Invalid configuration/);
  });

  it('when the config is logged, then the SMTP password never appears', () => {
    const config = loadConfig({ SMTP_URL: 'smtps://mailer:s3cr3t-pw@smtp.example:465' });
    const lines: string[] = [];
    createLogger('DEBUG', (line) => lines.push(line)).log('INFO', 'config.loaded', { config: redactConfig(config) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/s3cr3t-pw/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ severity: 'INFO', message: 'config.loaded', config: { SMTP_URL: '[redacted]' } });
  });

  it('when retention or cache settings are given or out of range, then they are parsed or the key is named', () => {
    expect(loadConfig({ MAIL_SENT_RETENTION_DAYS: '7', MAIL_FAILED_RETENTION_DAYS: '180', NOTICES_CACHE_SECONDS: '5' })).toMatchObject({
      MAIL_SENT_RETENTION_DAYS: 7,
      MAIL_FAILED_RETENTION_DAYS: 180,
      NOTICES_CACHE_SECONDS: 5,
    });
    expect(() => loadConfig({ MAIL_SENT_RETENTION_DAYS: '0' })).toThrow(/MAIL_SENT_RETENTION_DAYS/);
    expect(() => loadConfig({ NOTICES_CACHE_SECONDS: '0' })).toThrow(/NOTICES_CACHE_SECONDS/);
  });

  it('when the notice months are given, then each is its own setting; below one month or not a whole number, then the key is named', () => {
    expect(loadConfig({ SERVICE_NOTICE_MIN_MONTHS: '2' })).toMatchObject({ SERVICE_NOTICE_MIN_MONTHS: 2, PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: 1 });
    expect(loadConfig({ PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: '3' })).toMatchObject({ SERVICE_NOTICE_MIN_MONTHS: 1, PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: 3 });
    expect(() => loadConfig({ SERVICE_NOTICE_MIN_MONTHS: '0' })).toThrow(/SERVICE_NOTICE_MIN_MONTHS: must be at least 1 \(agreement clause 2\.1\)/);
    expect(() => loadConfig({ PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: '1.5' })).toThrow(/PROVIDER_TERMINATION_NOTICE_MIN_MONTHS/);
    expect(() => loadConfig({ PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: 'one' })).toThrow(/PROVIDER_TERMINATION_NOTICE_MIN_MONTHS/);
  });

  it('when reminder days are given, then they are whole days, nearest last; a bad entry, a repeat or an empty list is named', () => {
    expect(loadConfig({ TERMINATION_REMINDER_DAYS: '1, 14,3', CONTRACT_REMINDER_DAYS: '60' })).toMatchObject({
      TERMINATION_REMINDER_DAYS: [14, 3, 1],
      CONTRACT_REMINDER_DAYS: [60],
    });
    const problems = (env: Record<string, string>): readonly string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ TERMINATION_REMINDER_DAYS: '7,seven' })).toEqual(['TERMINATION_REMINDER_DAYS.1: each entry must be a whole number of days, e.g. 7,1']);
    expect(problems({ TERMINATION_REMINDER_DAYS: '0,1' })).toEqual(['TERMINATION_REMINDER_DAYS.0: each entry must be 1 to 365 days']);
    expect(problems({ CONTRACT_REMINDER_DAYS: '30,400' })).toEqual(['CONTRACT_REMINDER_DAYS.1: each entry must be 1 to 365 days']);
    expect(problems({ CONTRACT_REMINDER_DAYS: '7,7' })).toEqual(['CONTRACT_REMINDER_DAYS: must not name a day twice']);
    expect(problems({ CONTRACT_REMINDER_DAYS: ' , ' })).toEqual(['CONTRACT_REMINDER_DAYS.0', 'CONTRACT_REMINDER_DAYS.1'].map((key) => `${key}: each entry must be a whole number of days, e.g. 7,1`));
  });
});

describe('emulator variables in a deployed instance', () => {
  const refusal = (env: NodeJS.ProcessEnv): ConfigError | null => {
    try {
      loadConfig(env);
      return null;
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  };

  it.each([
    ['Cloud Run (K_SERVICE) with the Firestore emulator', { K_SERVICE: 'getaccount', FIRESTORE_EMULATOR_HOST: '10.1.2.3:8080' }, ['FIRESTORE_EMULATOR_HOST']],
    ['Cloud Functions (FUNCTION_TARGET) with the Auth emulator', { FUNCTION_TARGET: 'getAccount', FIREBASE_AUTH_EMULATOR_HOST: '10.1.2.3:9099' }, ['FIREBASE_AUTH_EMULATOR_HOST']],
    ['both markers, both emulators', { K_SERVICE: 'x', FUNCTION_TARGET: 'x', FIRESTORE_EMULATOR_HOST: '10.1.2.3:8080', FIREBASE_AUTH_EMULATOR_HOST: '10.1.2.3:9099' }, ['FIREBASE_AUTH_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST']],
    ['an emulator our config does not know', { K_SERVICE: 'x', STORAGE_EMULATOR_HOST: 'http://10.1.2.3:9199' }, ['STORAGE_EMULATOR_HOST']],
    ['an emulator variable that is not even host:port', { K_SERVICE: 'x', FIRESTORE_EMULATOR_HOST: ' ' }, ['FIRESTORE_EMULATOR_HOST']],
  ])('when %s, then loadConfig refuses and names the variables, never their values', (_name, env, variables) => {
    const error = refusal(env);
    expect(error?.emulatorVariables).toEqual(variables);
    for (const key of variables) expect(error?.problems.join('\n')).toContain(`${key}: an emulator variable in a deployed instance`);
    expect(error?.message).not.toMatch(/10\.1\.2\.3/);
  });

  it.each([
    ['the local stack (emulators, no marker)', { FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }],
    ['a deployment without emulators', { K_SERVICE: 'getaccount', FUNCTION_TARGET: 'getAccount' }],
    ['a deployment whose emulator variables are empty (unset, for firebase-admin too)', { K_SERVICE: 'getaccount', FIRESTORE_EMULATOR_HOST: '' }],
    ['an empty marker', { K_SERVICE: '', FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' }],
  ])('when %s, then the config loads', (_name, env) => {
    expect(refusal(env)).toBeNull();
    expect(emulatorsInDeployment(env)).toBeNull();
  });

  it('when the environment is both unsafe and invalid, then one error lists every problem and names the emulator variables', () => {
    const error = refusal({ K_SERVICE: 'x', FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080', LOG_LEVEL: 'LOUD' });
    expect(error?.problems.map((p) => p.split(':')[0]).sort()).toEqual(['FIRESTORE_EMULATOR_HOST', 'LOG_LEVEL']);
    expect(error?.emulatorVariables).toEqual(['FIRESTORE_EMULATOR_HOST']);
  });
});
