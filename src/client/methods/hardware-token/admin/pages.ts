// The kind's admin pages in one chunk: the entry loads them with one import.
export { HardwareTokensPage } from './HardwareTokensPage.tsx';
export { ImportTokensPage } from './ImportTokensPage.tsx';
export { TokensAdminSummary } from './TokensAdminSummary.tsx';
