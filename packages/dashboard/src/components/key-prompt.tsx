import { useState } from 'preact/hooks';

/** Asks for an API key: a scope's key shows that scope, the server's admin key every scope. */
export function KeyPrompt({ reason, onKey }: { reason: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <form
      class="key-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim()) onKey(key.trim());
      }}
    >
      <h2>This server requires an API key</h2>
      <p>{reason}</p>
      <p>A scope's key shows that scope; the server's admin key shows every scope.</p>
      <input
        name="api-key"
        type="password"
        autocomplete="off"
        placeholder="oct_… or the admin key"
        value={key}
        onInput={(event) => setKey(event.currentTarget.value)}
      />
      <button type="submit">Open</button>
    </form>
  );
}
