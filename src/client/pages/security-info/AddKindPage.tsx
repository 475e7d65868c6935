import { Suspense } from 'react';
import { useNavigate, useParams } from 'react-router';
import * as api from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { entryOf, useMethodKinds } from '../../components/methods/method-kinds-context.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { NotFoundPage } from '../not-found/NotFoundPage.tsx';

/** /security-info/add/:kind — the chosen kind's setup flow, then back to Security info with what was added. */
export function AddKindPage() {
  const { kind } = useParams();
  const entry = entryOf(useMethodKinds(), kind);
  // Keyed by kind: each kind's texts hook runs in a component of its own.
  return entry ? <AddKind key={entry.kind} entry={entry} /> : <NotFoundPage />;
}

function AddKind({ entry }: { entry: MethodKindEntry }) {
  const texts = entry.useTexts();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const { state } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  return (
    <div className="narrow">
      <PageHeading title={texts.addTitle}>{texts.addTitle}</PageHeading>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.data ? (
        <Suspense fallback={<Loading />}>
          <entry.Setup
            info={state.data}
            onDone={(method) => {
              void refresh();
              navigate('/security-info', { state: { message: texts.added(method) } });
            }}
            onCancel={() => navigate('/security-info')}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
