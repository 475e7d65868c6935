/**
 * Delivery of one-time codes by SMS and voice call, synchronously: the user is
 * waiting and must hear at once if it failed. The default provider writes to
 * the outbox table; the HTTP gateway or Twilio are chosen by configuration.
 * Callers never know which one is in use. (E-mail goes through the mail queue,
 * `core/mail/`.)
 */
export type DeliveryChannel = 'sms' | 'voice';

export interface DeliveryMessage {
  channel: DeliveryChannel;
  /** E.164 number. */
  to: string;
  /** Text of the SMS, or script of the call. */
  body: string;
  /** Optional subject, passed on to a gateway that wants one. */
  subject?: string;
  /** The language of `body` (BCP 47), so a call is read with the right voice. */
  language?: string;
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

/** What the provider said it did with the message. */
export interface DeliveryReceipt {
  /** The provider's id for the message (a Twilio SID), to trace a complaint with the provider; null if it gave none. */
  providerMessageId: string | null;
}

export interface DeliveryProvider {
  readonly name: string;
  send(message: DeliveryMessage): Promise<DeliveryReceipt>;
}
