// Activation and the verify form in one chunk: the entry loads either with one import.
export { TokenActivation } from './TokenActivation.tsx';
export { TokenVerifyForm } from './TokenVerifyForm.tsx';
