import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/** The mail protocols nginx's mail proxy speaks (its `Auth-Protocol` header). */
export const mailProtocols = ['imap', 'pop3', 'smtp'] as const;
export type MailProtocol = (typeof mailProtocols)[number];

export interface HostPort {
  host: string;
  port: number;
}

export interface MailSettings {
  /**
   * The shared secret nginx (`auth_http_header`) and the checkpassword helper
   * send. Without it the mail sign-in endpoints answer 404: they are off.
   */
  authSecret: string | undefined;
  /** Addresses and networks (CIDR) that may call the mail sign-in endpoints at all. */
  allowedIps: string[];
  /** Where nginx connects after a successful sign-in, per protocol; nginx wants an IP address here. */
  backends: Partial<Record<MailProtocol, HostPort>>;
  /** The server names and ports mail apps are told to use (the app-password help). */
  clientServers: Array<{ protocol: MailProtocol; host: string; port: number }>;
}

/**
 * 32 characters at least: the secret is checked without a rate limit (only
 * nginx and the helper on allowed addresses can reach it), so it must be too
 * long to guess, like a 128-bit random value written out.
 */
export const MIN_MAIL_AUTH_SECRET_LENGTH = 32;

export const mailSettingsEnv = {
  MAIL_AUTH_SECRET: z
    .string()
    .min(MIN_MAIL_AUTH_SECRET_LENGTH, `MAIL_AUTH_SECRET must be at least ${MIN_MAIL_AUTH_SECRET_LENGTH} characters`)
    .optional(),
  MAIL_AUTH_ALLOWED_IPS: z.string().default('127.0.0.1,::1'),
  MAIL_BACKEND_IMAP: z.string().optional(),
  MAIL_BACKEND_POP3: z.string().optional(),
  MAIL_BACKEND_SMTP: z.string().optional(),
  MAIL_CLIENT_IMAP: z.string().optional(),
  MAIL_CLIENT_POP3: z.string().optional(),
  MAIL_CLIENT_SMTP: z.string().optional(),
};

type MailEnv = z.output<z.ZodObject<typeof mailSettingsEnv>>;

/** "host:port" or "[v6-address]:port". */
export function parseHostPort(value: string, name: string): HostPort {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be host:port, got "${value}"`);
  return { host, port };
}

/** Parses the allowed callers into a list that `net.BlockList` checks; a bad entry stops the start. */
export function allowedCallers(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`MAIL_AUTH_ALLOWED_IPS: "${entry}" is not an IP address or network`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d{1,3}$/.test(bits) || prefix > (family === 6 ? 128 : 32)) throw new Error(`MAIL_AUTH_ALLOWED_IPS: bad prefix in "${entry}"`);
    list.addSubnet(address, prefix, type);
  }
  return list;
}

export function mailSettings(e: MailEnv): MailSettings {
  const allowedIps = e.MAIL_AUTH_ALLOWED_IPS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  allowedCallers(allowedIps);
  const backends: MailSettings['backends'] = {};
  const clientServers: MailSettings['clientServers'] = [];
  for (const protocol of mailProtocols) {
    const upper = protocol.toUpperCase() as Uppercase<MailProtocol>;
    const backend = e[`MAIL_BACKEND_${upper}`];
    if (backend) {
      const parsed = parseHostPort(backend, `MAIL_BACKEND_${upper}`);
      // nginx's mail proxy takes Auth-Server as an address and does not resolve names.
      if (isIP(parsed.host) === 0) throw new Error(`MAIL_BACKEND_${upper} must be an IP address and port`);
      backends[protocol] = parsed;
    }
    const client = e[`MAIL_CLIENT_${upper}`];
    if (client) clientServers.push({ protocol, ...parseHostPort(client, `MAIL_CLIENT_${upper}`) });
  }
  return { authSecret: e.MAIL_AUTH_SECRET, allowedIps, backends, clientServers };
}
