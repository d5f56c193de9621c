import { Counter, Gauge, type Registry } from 'prom-client';
import type { Inbox } from '../inbox/index.js';

/** Registers the inbox's size, quota, refusals and disk state on `registry`. */
export function registerInboxMetrics(registry: Registry, inbox: Inbox): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name, help, registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('p2pd_inbox_messages', 'Messages held in the inbox.', () => inbox.stats().stored);
  gauge('p2pd_inbox_bytes', 'Bytes of the inbox file.', () => inbox.stats().bytes);
  gauge('p2pd_inbox_quota_bytes', 'Bytes the inbox may hold at most.', () => inbox.stats().quotaBytes);
  gauge('p2pd_inbox_queued_bytes', 'Bytes of received messages waiting to be written.', () => inbox.stats().queuedBytes);
  gauge('p2pd_inbox_disk_full', '1 while the last inbox write found the disk full (ENOSPC), else 0.', () => (inbox.stats().disk === 'full' ? 1 : 0));
  new Counter({
    name: 'p2pd_inbox_dropped_total', help: 'Messages the inbox did not keep since start (refused or failed to write).', registers: [registry],
    collect() {
      this.reset();
      this.inc(inbox.stats().dropped);
    },
  });
  new Counter({
    name: 'p2pd_inbox_refused_total', help: 'Messages refused by an inbox quota ("inbox full"), by the limit hit.',
    labelNames: ['reason'], registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(inbox.stats().refused)) this.inc({ reason }, n);
    },
  });
  new Counter({
    name: 'p2pd_inbox_write_errors_total', help: 'Inbox writes that failed (disk full or failing); their messages were answered "not delivered".',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(inbox.stats().writeErrors);
    },
  });
}
