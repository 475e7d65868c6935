// `npm run bench`: every benchmark the issues ask for, one after another.
import './legacy-endpoint.ts';
import './code-verification.ts';
