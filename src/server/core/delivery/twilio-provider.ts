import { idField, postToGateway } from './gateway-post.ts';
import type { DeliveryMessage, DeliveryProvider } from './provider.ts';

export interface TwilioProviderOptions {
  /** `https://api.twilio.com`, or a local fake in tests. */
  apiUrl: string;
  accountSid: string;
  /** HTTP Basic credentials: the account SID and auth token, or an API key SID and secret. */
  username: string;
  password: string;
  /** The sending number (E.164), or a messaging service SID (`MG…`) for SMS. */
  from: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** Twilio's <Say> wants a language with a region; ours are languages alone. */
const SAY_LANGUAGES: Record<string, string> = { en: 'en-US', pl: 'pl-PL' };
function sayLanguage(language: string | undefined): string {
  const tag = language ?? 'en';
  if (tag.includes('-')) return tag;
  return SAY_LANGUAGES[tag] ?? 'en-US';
}

/**
 * The call's script as TwiML: a moment's pause for the user to lift the phone
 * to their ear, then the text, which reads the code digit by digit, twice, in
 * the user's language.
 */
export function callTwiml(message: DeliveryMessage): string {
  const say = `<Say language="${escapeXml(sayLanguage(message.language))}">${escapeXml(message.body)}</Say>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/>${say}</Response>`;
}

/**
 * SMS through Twilio's Messages API and calls through its Calls API (REST,
 * API version 2010-04-01, form-encoded POSTs). The answer's `sid` is the
 * message's or call's id at Twilio.
 */
export function createTwilioProvider(options: TwilioProviderOptions): DeliveryProvider {
  const base = `${options.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const usesService = options.from.startsWith('MG');

  return {
    name: 'twilio',
    async send(message: DeliveryMessage) {
      const form = new URLSearchParams({ To: message.to });
      if (message.channel === 'sms') {
        form.set(usesService ? 'MessagingServiceSid' : 'From', options.from);
        form.set('Body', message.body);
      } else {
        form.set('From', options.from);
        form.set('Twiml', callTwiml(message));
      }
      const answer = await postToGateway({
        url: `${base}/${message.channel === 'sms' ? 'Messages' : 'Calls'}.json`,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        timeoutMs: options.timeoutMs ?? 5000,
        fetchImpl: options.fetchImpl ?? fetch,
        label: 'Twilio',
      });
      return { providerMessageId: idField(answer, 'sid') };
    },
  };
}
