/** The loaded configuration as YAML, with a copy button. */
import { useState } from 'preact/hooks';
import { useAPI } from '../api/client.js';
import { Loaded, Page } from '../components/status.js';
import type { ConfigResult } from '../lib/api-types.js';

export function ConfigPage() {
  const [config] = useAPI<ConfigResult>('/status/config');
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    if (config.state !== 'ok') return;
    navigator.clipboard.writeText(config.data.yaml).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <Page
      title="Configuration"
      actions={
        <button type="button" onClick={copy} disabled={config.state !== 'ok'}>
          {copied ? 'Copied' : 'Copy to clipboard'}
        </button>
      }
    >
      <Loaded value={config} render={(d) => <pre class="code config">{d.yaml}</pre>} />
    </Page>
  );
}
