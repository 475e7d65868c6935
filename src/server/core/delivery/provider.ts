/**
 * Delivery of messages to users (SMS, voice calls, e-mail notifications).
 * The default provider writes to the outbox table; a real HTTP provider is
 * chosen by configuration. Callers never know which one is in use.
 */
export type DeliveryChannel = 'sms' | 'voice' | 'email';

export interface DeliveryMessage {
  channel: DeliveryChannel;
  /** E.164 number for sms/voice, an e-mail address for email. */
  to: string;
  /** Text of the SMS, script of the call, or body of the e-mail. */
  body: string;
  /** Optional subject, for e-mail. */
  subject?: string;
  /** The user the message is for, when known (the outbox keeps it for the dev page). */
  userId?: string;
}

/** Thrown when a provider could not hand the message over; the caller tells the user plainly. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'rejected' | 'unreachable',
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryProvider {
  readonly name: string;
  send(message: DeliveryMessage): Promise<void>;
}
