// `npm run bench`: every benchmark the issues ask for, one after another
// (dynamic imports, so one does not load the machine while the other measures).
await import('./legacy-endpoint.ts');
await import('./code-verification.ts');
await import('./verification-log.ts');
await import('./mail-queue.ts');
await import('./hardware-token-import.ts');
await import('./multi-instance.ts');

export {};
