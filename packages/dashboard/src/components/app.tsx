import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { type ApiFailure, DashboardApi } from '../api.js';
import { shownIn } from '../location.js';
import { useLiveLoad } from '../use-live-load.js';
import { KeyPrompt } from './key-prompt.js';
import { ScopePicker } from './scope-picker.js';
import { ScopeView } from './scope-view.js';
import { useNow } from './use-now.js';

/** The key lives for the browser tab only. */
const KEY_STORAGE = 'octopoid.apiKey';
/** The scope list re-reads at this pace (ms): counts and last activity. */
const SCOPE_LIST_REFRESH_MS = 5_000;

function ScopesPage({
  api,
  onRefused,
}: {
  api: DashboardApi;
  onRefused: (failure: ApiFailure) => void;
}) {
  const tick = useNow(SCOPE_LIST_REFRESH_MS);
  const { value, failure } = useLiveLoad(() => api.scopes(), [api], tick);
  useEffect(() => {
    if (failure?.status === 401) onRefused(failure);
  }, [failure, onRefused]);
  // A scope's key may not list scopes: it sees its own scope only.
  if (failure?.status === 403) {
    return <ScopeView api={api} requested={null} initialTask={null} onRefused={onRefused} />;
  }
  return (
    <div class="scopes-page">
      <h1>Scopes</h1>
      {failure && <p class="failure">{failure.message}</p>}
      {value && <ScopePicker scopes={value.scopes} />}
    </div>
  );
}

/** The page: the scope list, or `?scope=NAME`'s board; asks for a key when the server wants one. */
export function App() {
  const shown = shownIn(location.search);
  const [apiKey, setApiKey] = useState(sessionStorage.getItem(KEY_STORAGE));
  const [keyWanted, setKeyWanted] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiFailure | null>(null);
  const api = useMemo(() => new DashboardApi(apiKey), [apiKey]);

  const onRefused = useCallback((failure: ApiFailure) => {
    if (failure.status === 401) setKeyWanted(failure.message);
    else setRefusal(failure);
  }, []);
  const chooseKey = (key: string | null) => {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
    setApiKey(key);
    setKeyWanted(null);
    setRefusal(null);
  };

  return (
    <>
      <header class="top">
        <a class="brand" href="?">
          Octopoid
        </a>
        <a href="?">all scopes</a>
        <span class="spacer" />
        {apiKey && (
          <button type="button" onClick={() => chooseKey(null)}>
            forget key
          </button>
        )}
      </header>
      {keyWanted !== null ? (
        <KeyPrompt reason={keyWanted} onKey={chooseKey} />
      ) : refusal ? (
        <p class="failure refusal">
          {refusal.message} <a href="?">back to the scopes</a>
        </p>
      ) : shown.scope !== null ? (
        <ScopeView
          api={api}
          requested={shown.scope}
          initialTask={shown.task}
          onRefused={onRefused}
        />
      ) : (
        <ScopesPage api={api} onRefused={onRefused} />
      )}
    </>
  );
}
