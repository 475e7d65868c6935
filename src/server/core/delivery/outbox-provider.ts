import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { newId } from '../crypto/random.ts';
import type { Database } from '../storage/schema.ts';
import type { DeliveryMessage, DeliveryProvider } from './provider.ts';

/**
 * The default provider for development and tests: messages land in the outbox
 * table, where the dev page and the tests read them. Configuration refuses it
 * in production, where nobody would receive them.
 */
export function createOutboxProvider(db: Kysely<Database>, clock: Clock): DeliveryProvider {
  return {
    name: 'outbox',
    async send(message: DeliveryMessage) {
      const id = newId();
      await db
        .insertInto('outbox')
        .values({
          id,
          created_at: clock.now(),
          channel: message.channel,
          recipient: message.to,
          subject: message.subject ?? null,
          body: message.body,
          user_id: message.userId ?? null,
        })
        .execute();
      return { providerMessageId: `outbox-${id}` };
    },
  };
}
