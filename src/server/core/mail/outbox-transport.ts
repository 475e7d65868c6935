import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { newId } from '../crypto/random.ts';
import type { Database } from '../storage/schema.ts';
import type { MailTransport, OutgoingMail } from './mail-transport.ts';

/**
 * The development and test sink: e-mail lands in the outbox table, where the
 * dev page and the tests read it. Configuration refuses it in production.
 */
export function createOutboxMailTransport(db: Kysely<Database>, clock: Clock): MailTransport {
  return {
    name: 'outbox',
    async send(mail: OutgoingMail) {
      await db
        .insertInto('outbox')
        .values({
          id: newId(),
          created_at: clock.now(),
          channel: 'email',
          recipient: mail.to,
          subject: mail.subject,
          body: mail.text,
          user_id: mail.userId,
        })
        .execute();
    },
    close() {},
  };
}
