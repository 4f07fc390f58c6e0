import type { DocumentReference, Firestore, UpdateData } from 'firebase-admin/firestore';
import type { MailDoc } from './model';

/**
 * Commits `sent` records together: one write batch per `maxSize` records, or after `maxWaitMs`,
 * whichever comes first. Each `write` resolves once its record is committed. A sweep sends
 * hundreds of messages, and a commit of its own per message costs about as much as its SMTP send;
 * sends end a few at a time, so the window (200 ms) is long enough to gather dozens per commit. A
 * record waiting in it is still far inside the message's lease.
 */
export class SentRecorder {
  private items: Array<{ ref: DocumentReference; data: UpdateData<MailDoc>; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Firestore,
    private readonly maxSize = 200,
    private readonly maxWaitMs = 200,
  ) {}

  /** Queues `data` for `ref`; resolves once it is committed, rejects when it cannot be. */
  write(ref: DocumentReference, data: UpdateData<MailDoc>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ ref, data, resolve, reject });
      if (this.items.length >= this.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  /** Commits what is waiting now. Never rejects: each write's own promise carries its outcome. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items.splice(0);
    if (items.length === 0) return;
    const batch = this.db.batch();
    for (const item of items) batch.update(item.ref, item.data);
    try {
      await batch.commit();
      items.forEach((item) => item.resolve());
    } catch {
      // One document gone (deleted meanwhile) fails the whole batch: write each on its own.
      await Promise.all(items.map((item) => item.ref.update(item.data).then(item.resolve, item.reject)));
    }
  }
}
