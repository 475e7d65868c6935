// `npm run bench`: every benchmark the issues ask for, one after another.
await import('./legacy-endpoint.ts');
