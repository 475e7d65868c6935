import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../shared/api/common.ts';
import type { SessionInfo } from '../../shared/api/session.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { VerifyWithMethod, verifiableKinds } from '../methods/verify-with-method.tsx';
import { MethodOptionLabel } from '../pages/sign-in/MethodOptionLabel.tsx';
import { Button } from '../components/Button.tsx';

type Runner = <T>(action: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Runner | null>(null);

interface Pending {
  resolve(): void;
  reject(error: unknown): void;
  error: unknown;
}

/**
 * Security info changes need a recent second-factor verification. When the
 * server answers reauth_required, this asks the user to verify again and then
 * repeats the action, so no page has to handle it itself.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation(['security-info', 'common']);
  const { session, setSession } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const [chosen, setChosen] = useState<SignInOption | null>(null);
  const pendingRef = useRef<Pending | null>(null);

  const options = session?.state.stage === 'signed_in' || session?.state.stage === 'second_factor' ? session.state.options : [];
  const usable = options.filter((o) => verifiableKinds.has(o.kind));
  const option = chosen ?? usable[0] ?? null;

  const run = useCallback<Runner>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'reauth_required') throw error;
      await new Promise<void>((resolve, reject) => {
        const p = { resolve, reject, error };
        pendingRef.current = p;
        setPending(p);
      });
      return action();
    }
  }, []);

  function close(verified: SessionInfo | null) {
    const p = pendingRef.current;
    pendingRef.current = null;
    setPending(null);
    setChosen(null);
    if (verified) {
      setSession(verified);
      p?.resolve();
    } else p?.reject(p.error);
  }

  return (
    <ReauthContext.Provider value={run}>
      {children}
      <Dialog
        open={pending !== null}
        title={t('reauth.title')}
        onClose={() => close(null)}
        actions={
          <Button variant="secondary" onClick={() => close(null)}>
            {t('common:cancel')}
          </Button>
        }
      >
        <p>{t('reauth.intro')}</p>
        {option && pending ? (
          <>
            <p className="method-name">
              <MethodOptionLabel option={option} />
            </p>
            <VerifyWithMethod option={option} onVerified={(next) => close(next)} />
            {usable.length > 1 ? (
              <fieldset className="other-methods">
                <legend>{t('reauth.otherWay')}</legend>
                {usable
                  .filter((o) => o.methodId !== option.methodId)
                  .map((o) => (
                    <Button key={o.methodId} variant="link" onClick={() => setChosen(o)}>
                      <MethodOptionLabel option={o} />
                    </Button>
                  ))}
              </fieldset>
            ) : null}
          </>
        ) : null}
      </Dialog>
    </ReauthContext.Provider>
  );
}

export function useReauth(): Runner {
  const run = useContext(ReauthContext);
  if (!run) throw new Error('useReauth outside ReauthProvider');
  return run;
}
