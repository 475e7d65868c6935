import { z } from 'zod';
import { endpoint } from '../endpoint.ts';
import { isoDate } from './common.ts';
import { userText } from '../text.ts';

/** Development and test helpers; the server does not mount them in production. */
export const createTestUser = endpoint({
  method: 'POST',
  path: '/api/dev/users',
  tag: 'dev',
  summary: 'Create a unique test user (not in production)',
  csrfExempt: true,
  body: z.strictObject({
    withAuthenticator: z.boolean().optional(),
    firstName: userText({ min: 0, max: 64 }).optional(),
    lastName: userText({ min: 0, max: 64 }).optional(),
    isAdmin: z.boolean().optional(),
  }),
  response: z.object({
    username: z.string(),
    password: z.string(),
    totpSecret: z.string().optional(),
  }),
});

export const outboxMessageSchema = z.object({
  id: z.string(),
  channel: z.enum(['sms', 'voice', 'email']),
  to: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: isoDate,
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export const readOutbox = endpoint({
  method: 'GET',
  path: '/api/dev/outbox',
  tag: 'dev',
  summary: 'Messages the outbox provider delivered, newest first (not in production)',
  query: z.object({
    to: userText({ min: 0, max: 256 }).optional(),
    channel: z.enum(['sms', 'voice', 'email']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  response: z.object({ messages: z.array(outboxMessageSchema) }),
});

/** Lets an end-to-end test make its own session's last verification older, instead of waiting. */
export const ageVerification = endpoint({
  method: 'POST',
  path: '/api/dev/session/age-verification',
  tag: 'dev',
  summary: 'Move this session’s last second-factor verification into the past (not in production)',
  body: z.strictObject({ seconds: z.number().int().min(1).max(86_400) }),
  response: z.object({ ok: z.literal(true) }),
});

export const health = endpoint({
  method: 'GET',
  path: '/api/health',
  tag: 'dev',
  summary: 'Liveness and database reachability, with the e-mail queue’s counts',
  response: z.object({
    ok: z.literal(true),
    details: z.object({
      /** E-mail waiting to be sent, and e-mail given up on (see the admin's user page). */
      mail: z.object({ pending: z.number().int().min(0), dead: z.number().int().min(0) }),
    }),
  }),
});
